//! X.509 certificates, parsed only as far as DCAP verification needs: the signed
//! bytes, the ECDSA P-256 signature, names (compared as raw DER), validity, the P-256 public
//! key, basic constraints, and the Intel SGX extension of PCK certificates. PEM chains are
//! decoded here too. CRLs are in `crl.rs`.

use crate::der::{self, Reader, Tlv};

/// ecdsa-with-SHA256 (1.2.840.10045.4.3.2)
const OID_ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
/// id-ecPublicKey (1.2.840.10045.2.1)
const OID_EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// prime256v1 (1.2.840.10045.3.1.7)
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// basicConstraints (2.5.29.19)
const OID_BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
/// Intel SGX extension (1.2.840.113741.1.13.1)
pub const OID_SGX_EXTENSION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01];
/// commonName (2.5.4.3)
const OID_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
/// UTF8String and PrintableString: the string types Intel's certificate names use.
const UTF8_STRING: u8 = 0x0c;
const PRINTABLE_STRING: u8 = 0x13;

#[derive(Clone, Debug)]
pub struct Certificate {
    pub raw: Vec<u8>,
    pub tbs: Vec<u8>,
    pub signature: [u8; 64],
    pub serial: Vec<u8>,
    pub issuer: Vec<u8>,
    pub subject: Vec<u8>,
    pub not_before: i64,
    pub not_after: i64,
    pub public_key: [u8; 64],
    pub is_ca: bool,
    /// (OID content bytes, critical, extnValue content bytes)
    pub extensions: Vec<(Vec<u8>, bool, Vec<u8>)>,
}

/// Parses the signatureAlgorithm (must be ecdsa-with-SHA256) and the signature BIT STRING.
pub(crate) fn parse_signature(alg: &Tlv, value: &Tlv) -> Result<[u8; 64], String> {
    let oid = alg.reader().expect(der::OID)?;
    if oid.content != OID_ECDSA_SHA256 {
        return Err("x509: signature algorithm is not ecdsa-with-SHA256".into());
    }
    if value.content.first() != Some(&0) {
        return Err("x509: signature bit string has unused bits".into());
    }
    ecdsa_der_to_raw(&value.content[1..])
}

/// ECDSA-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }) to r ‖ s.
pub fn ecdsa_der_to_raw(der_sig: &[u8]) -> Result<[u8; 64], String> {
    let mut outer = Reader::new(der_sig);
    let seq = outer.expect(der::SEQUENCE)?;
    if !outer.is_empty() {
        return Err("x509: trailing bytes after signature".into());
    }
    let mut r = seq.reader();
    let rr = der::int_to_32(r.expect(der::INTEGER)?.content)?;
    let ss = der::int_to_32(r.expect(der::INTEGER)?.content)?;
    if !r.is_empty() {
        return Err("x509: trailing bytes in signature".into());
    }
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&rr);
    out[32..].copy_from_slice(&ss);
    Ok(out)
}

impl Certificate {
    pub fn parse(raw: &[u8]) -> Result<Certificate, String> {
        let mut top = Reader::new(raw);
        let cert = top.expect(der::SEQUENCE)?;
        if !top.is_empty() {
            return Err("x509: trailing bytes after certificate".into());
        }
        let mut c = cert.reader();
        let tbs = c.expect(der::SEQUENCE)?;
        let sig_alg = c.expect(der::SEQUENCE)?;
        let sig_val = c.expect(der::BIT_STRING)?;
        let signature = parse_signature(&sig_alg, &sig_val)?;

        let mut t = tbs.reader();
        if let Some(v) = t.optional(0xa0)? {
            let ver = v.reader().expect(der::INTEGER)?;
            if der::small_uint(ver.content)? != 2 {
                return Err("x509: only v3 certificates are supported".into());
            }
        }
        let serial = t.expect(der::INTEGER)?.content.to_vec();
        let inner_alg = t.expect(der::SEQUENCE)?;
        if inner_alg.raw != sig_alg.raw {
            return Err("x509: signature algorithm mismatch".into());
        }
        let issuer = t.expect(der::SEQUENCE)?.raw.to_vec();
        let validity = t.expect(der::SEQUENCE)?;
        let mut v = validity.reader();
        let not_before = der::parse_time(&v.read()?)?;
        let not_after = der::parse_time(&v.read()?)?;
        let subject = t.expect(der::SEQUENCE)?.raw.to_vec();
        let spki = t.expect(der::SEQUENCE)?;
        let public_key = parse_p256_spki(&spki)?;
        let _ = t.optional(0x81)?; // issuerUniqueID
        let _ = t.optional(0x82)?; // subjectUniqueID
        let mut extensions = Vec::new();
        let mut is_ca = false;
        if let Some(exts) = t.optional(0xa3)? {
            let list = exts.reader().expect(der::SEQUENCE)?;
            let mut l = list.reader();
            while !l.is_empty() {
                let ext = l.expect(der::SEQUENCE)?;
                let mut e = ext.reader();
                let oid = e.expect(der::OID)?.content.to_vec();
                let critical = match e.optional(der::BOOLEAN)? {
                    Some(b) => b.content == [0xff],
                    None => false,
                };
                let value = e.expect(der::OCTET_STRING)?.content.to_vec();
                if oid == OID_BASIC_CONSTRAINTS {
                    let bc = Reader::new(&value).expect(der::SEQUENCE)?;
                    if let Some(flag) = bc.reader().optional(der::BOOLEAN)? {
                        is_ca = flag.content == [0xff];
                    }
                }
                extensions.push((oid, critical, value));
            }
        }
        if !t.is_empty() {
            return Err("x509: unexpected fields in tbsCertificate".into());
        }
        Ok(Certificate {
            raw: raw.to_vec(),
            tbs: tbs.raw.to_vec(),
            signature,
            serial,
            issuer,
            subject,
            not_before,
            not_after,
            public_key,
            is_ca,
            extensions,
        })
    }

    /// Whether this certificate's signature verifies under `issuer_key`.
    pub fn signed_by(&self, issuer_key: &[u8; 64]) -> bool {
        crate::p256::verify(issuer_key, &self.tbs, &self.signature)
    }

    pub fn extension(&self, oid: &[u8]) -> Option<&[u8]> {
        self.extensions.iter().find(|(o, _, _)| o == oid).map(|(_, _, v)| v.as_slice())
    }

    /// The subject's commonName, when it has exactly one (as every Intel DCAP certificate does).
    pub fn subject_common_name(&self) -> Result<String, String> {
        let mut found = Vec::new();
        let name = Reader::new(&self.subject).expect(der::SEQUENCE)?;
        let mut rdns = name.reader();
        while !rdns.is_empty() {
            let mut set = rdns.expect(der::SET)?.reader();
            while !set.is_empty() {
                let mut atv = set.expect(der::SEQUENCE)?.reader();
                if atv.expect(der::OID)?.content != OID_COMMON_NAME {
                    continue;
                }
                let value = atv.read()?;
                if value.tag != UTF8_STRING && value.tag != PRINTABLE_STRING {
                    return Err("x509: commonName is not a UTF8String or PrintableString".into());
                }
                found.push(String::from_utf8(value.content.to_vec()).map_err(|_| "x509: commonName is not UTF-8")?);
            }
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err("x509: subject has no commonName".into()),
            _ => Err("x509: subject has several commonNames".into()),
        }
    }
}

fn parse_p256_spki(spki: &Tlv) -> Result<[u8; 64], String> {
    let mut s = spki.reader();
    let alg = s.expect(der::SEQUENCE)?;
    let mut a = alg.reader();
    if a.expect(der::OID)?.content != OID_EC_PUBLIC_KEY || a.expect(der::OID)?.content != OID_P256 {
        return Err("x509: public key is not P-256".into());
    }
    let bits = s.expect(der::BIT_STRING)?.content;
    if bits.len() != 66 || bits[0] != 0 || bits[1] != 0x04 {
        return Err("x509: public key is not an uncompressed P-256 point".into());
    }
    let mut pk = [0u8; 64];
    pk.copy_from_slice(&bits[2..]);
    Ok(pk)
}

/// Decodes standard base64 (with padding, whitespace ignored).
pub fn base64_decode(s: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    let mut pad = 0;
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                continue;
            }
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return Err("pem: invalid base64".into()),
        };
        if pad > 0 {
            return Err("pem: data after padding".into());
        }
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// Extracts the DER certificates of a PEM chain, in order (leaf first for Intel chains).
pub fn pem_certificates(pem: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
    const END: &[u8] = b"-----END CERTIFICATE-----";
    let find = |hay: &[u8], needle: &[u8], from: usize| -> Option<usize> {
        hay[from..].windows(needle.len()).position(|w| w == needle).map(|p| p + from)
    };
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(b) = find(pem, BEGIN, pos) {
        let start = b + BEGIN.len();
        let e = find(pem, END, start).ok_or("pem: unterminated certificate")?;
        out.push(base64_decode(&pem[start..e])?);
        pos = e + END.len();
    }
    if out.is_empty() {
        return Err("pem: no certificate".into());
    }
    Ok(out)
}

/// Fields of the Intel SGX extension of a PCK certificate that TCB matching uses.
#[derive(Clone, Debug, PartialEq)]
pub struct SgxExtension {
    pub cpu_svn: [u8; 16],
    pub pce_svn: u16,
    pub pce_id: Vec<u8>,
    pub fmspc: [u8; 6],
}

/// Finds `sub` (OID content relative to the SGX extension arc) in a SEQUENCE OF { OID, value }.
fn find_in<'a>(seq_content: &'a [u8], oid: &[u8]) -> Result<Option<Tlv<'a>>, String> {
    let mut r = Reader::new(seq_content);
    while !r.is_empty() {
        let item = r.expect(der::SEQUENCE)?;
        let mut i = item.reader();
        let o = i.expect(der::OID)?;
        if o.content == oid {
            return Ok(Some(i.read()?));
        }
    }
    Ok(None)
}

pub fn sgx_extension(cert: &Certificate) -> Result<SgxExtension, String> {
    let ext = cert.extension(OID_SGX_EXTENSION).ok_or("pck: certificate has no SGX extension")?;
    let seq = Reader::new(ext).expect(der::SEQUENCE)?;
    let sub = |parts: &[u8]| -> Vec<u8> {
        let mut o = OID_SGX_EXTENSION.to_vec();
        o.extend_from_slice(parts);
        o
    };
    let tcb = find_in(seq.content, &sub(&[2]))?.ok_or("pck: no TCB in SGX extension")?;
    let cpu_svn = find_in(tcb.content, &sub(&[2, 18]))?.ok_or("pck: no CPUSVN")?;
    let pce_svn = find_in(tcb.content, &sub(&[2, 17]))?.ok_or("pck: no PCESVN")?;
    let pce_id = find_in(seq.content, &sub(&[3]))?.ok_or("pck: no PCE-ID")?;
    let fmspc = find_in(seq.content, &sub(&[4]))?.ok_or("pck: no FMSPC")?;
    if cpu_svn.tag != der::OCTET_STRING || cpu_svn.content.len() != 16 {
        return Err("pck: bad CPUSVN".into());
    }
    if fmspc.tag != der::OCTET_STRING || fmspc.content.len() != 6 {
        return Err("pck: bad FMSPC".into());
    }
    if pce_svn.tag != der::INTEGER {
        return Err("pck: bad PCESVN".into());
    }
    let pce = der::small_uint(pce_svn.content)?;
    if pce > u16::MAX as u64 {
        return Err("pck: PCESVN out of range".into());
    }
    let mut c = [0u8; 16];
    c.copy_from_slice(cpu_svn.content);
    let mut f = [0u8; 6];
    f.copy_from_slice(fmspc.content);
    Ok(SgxExtension { cpu_svn: c, pce_svn: pce as u16, pce_id: pce_id.content.to_vec(), fmspc: f })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_intel_root() {
        let root = Certificate::parse(crate::INTEL_SGX_ROOT_CA_DER).unwrap();
        assert_eq!(root.issuer, root.subject);
        assert!(root.is_ca);
        assert!(root.signed_by(&root.public_key));
        // Valid 2018-05-21T10:45:10Z .. 2049-12-31T23:59:59Z.
        assert_eq!(root.not_before, 1526899510);
        assert_eq!(root.not_after, 2524607999);
        let mut t = root.raw.clone();
        t.push(0);
        assert!(Certificate::parse(&t).is_err(), "trailing byte");
    }

    #[test]
    fn pck_leaf_sgx_extension_of_the_sample_quote() {
        let q = crate::quote::Quote::parse(include_bytes!("../tests/vectors/dcap_qvl_tdx_quote.bin")).unwrap();
        let chain = pem_certificates(&q.pck_chain_pem).unwrap();
        assert_eq!(chain.len(), 3);
        let leaf = Certificate::parse(&chain[0]).unwrap();
        assert!(!leaf.is_ca);
        let ext = sgx_extension(&leaf).unwrap();
        assert_eq!(hex::encode(ext.fmspc), "b0c06f000000"); // the collateral's "fmspc": "B0C06F000000"
        assert_eq!(ext.pce_id, vec![0, 0]);
        let root = Certificate::parse(crate::INTEL_SGX_ROOT_CA_DER).unwrap();
        assert!(sgx_extension(&root).is_err());
    }

    #[test]
    fn base64_and_der_signatures() {
        assert_eq!(base64_decode(b"aGVsbG8=").unwrap(), b"hello");
        assert!(base64_decode(b"aGVs!G8=").is_err());
        assert!(pem_certificates(b"no pem here").is_err());
        // SEQUENCE { INTEGER 1, INTEGER 0x0080 } → r = 1, s = 0x80
        let raw = ecdsa_der_to_raw(&[0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x02, 0x00, 0x80]).unwrap();
        assert_eq!((raw[31], raw[63]), (1, 0x80));
        assert!(ecdsa_der_to_raw(&[0x30, 0x03, 0x02, 0x01, 0x01]).is_err());
    }
}
