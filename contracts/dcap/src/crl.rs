//! Certificate revocation lists (RFC 5280 §5), as far as DCAP needs them: the signed bytes,
//! the issuer name, thisUpdate/nextUpdate and the revoked serial numbers.

use crate::der::{self, Reader};
use crate::x509::parse_signature;

/// A certificate revocation list.
#[derive(Clone, Debug)]
pub struct Crl {
    pub tbs: Vec<u8>,
    pub signature: [u8; 64],
    pub issuer: Vec<u8>,
    pub this_update: i64,
    pub next_update: Option<i64>,
    /// Serial numbers (INTEGER content bytes) of revoked certificates.
    pub revoked: Vec<Vec<u8>>,
}

impl Crl {
    pub fn parse(raw: &[u8]) -> Result<Crl, String> {
        let mut top = Reader::new(raw);
        let list = top.expect(der::SEQUENCE)?;
        let mut c = list.reader();
        let tbs = c.expect(der::SEQUENCE)?;
        let sig_alg = c.expect(der::SEQUENCE)?;
        let sig_val = c.expect(der::BIT_STRING)?;
        let signature = parse_signature(&sig_alg, &sig_val)?;
        let mut t = tbs.reader();
        let _ = t.optional(der::INTEGER)?; // version v2
        let inner_alg = t.expect(der::SEQUENCE)?;
        if inner_alg.raw != sig_alg.raw {
            return Err("crl: signature algorithm mismatch".into());
        }
        let issuer = t.expect(der::SEQUENCE)?.raw.to_vec();
        let this_update = der::parse_time(&t.read()?)?;
        let next_update = match t.peek_tag() {
            Some(der::UTC_TIME) | Some(der::GENERALIZED_TIME) => Some(der::parse_time(&t.read()?)?),
            _ => None,
        };
        let mut revoked = Vec::new();
        if let Some(entries) = t.optional(der::SEQUENCE)? {
            let mut e = entries.reader();
            while !e.is_empty() {
                let entry = e.expect(der::SEQUENCE)?;
                revoked.push(entry.reader().expect(der::INTEGER)?.content.to_vec());
            }
        }
        let _ = t.optional(0xa0)?; // crlExtensions
        if !t.is_empty() {
            return Err("crl: unexpected fields".into());
        }
        Ok(Crl { tbs: tbs.raw.to_vec(), signature, issuer, this_update, next_update, revoked })
    }

    pub fn signed_by(&self, issuer_key: &[u8; 64]) -> bool {
        crate::p256::verify(issuer_key, &self.tbs, &self.signature)
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_sample_crls() {
        let c: crate::Collateral = serde_json::from_str(include_str!("../tests/vectors/dcap_qvl_tdx_quote_collateral.json")).unwrap();
        let root_crl = Crl::parse(&hex::decode(&c.root_ca_crl).unwrap()).unwrap();
        let root = crate::x509::Certificate::parse(crate::INTEL_SGX_ROOT_CA_DER).unwrap();
        assert_eq!(root_crl.issuer, root.subject);
        assert!(root_crl.signed_by(&root.public_key));
        assert!(root_crl.this_update < root_crl.next_update.unwrap());
        let pck_crl = Crl::parse(&hex::decode(&c.pck_crl).unwrap()).unwrap();
        assert!(!pck_crl.revoked.is_empty(), "the Intel PCK CRL lists revoked serials");
        assert!(!pck_crl.signed_by(&root.public_key), "signed by the platform CA, not the root");
    }
}
