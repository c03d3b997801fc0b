//! TDX quote v4 layout (Intel TDX DCAP Quote Generation Library spec; offsets as dcap-qvl and
//! the project vectors README give them): 48-byte header, 584-byte TD report body, u32
//! signature-data length at 632, then the ECDSA signature data.

use serde::Serialize;

pub const HEADER_LEN: usize = 48;
pub const TD_REPORT10_LEN: usize = 584;
pub const SIGNED_LEN: usize = HEADER_LEN + TD_REPORT10_LEN; // 632
pub const TEE_TYPE_TDX: u32 = 0x81;
pub const ATTESTATION_KEY_ECDSA_P256: u16 = 2;
pub const INTEL_QE_VENDOR_ID: [u8; 16] = [
    0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07,
];
pub const QE_REPORT_LEN: usize = 384;
const CERT_TYPE_QE_REPORT: u16 = 6;
const CERT_TYPE_PCK_CHAIN: u16 = 5;

/// The TD report body (TDREPORT 1.0), hex-friendly for callers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TdReport {
    pub tee_tcb_svn: [u8; 16],
    pub mr_seam: Vec<u8>,
    pub mr_signer_seam: Vec<u8>,
    pub seam_attributes: [u8; 8],
    pub td_attributes: [u8; 8],
    pub xfam: [u8; 8],
    pub mr_td: Vec<u8>,
    pub mr_config_id: Vec<u8>,
    pub mr_owner: Vec<u8>,
    pub mr_owner_config: Vec<u8>,
    pub rtmr0: Vec<u8>,
    pub rtmr1: Vec<u8>,
    pub rtmr2: Vec<u8>,
    pub rtmr3: Vec<u8>,
    pub report_data: Vec<u8>,
}

/// The QE's SGX enclave report (384 bytes) inside the certification data.
#[derive(Clone, Debug)]
pub struct QeReport {
    pub raw: Vec<u8>,
    pub misc_select: [u8; 4],
    pub attributes: [u8; 16],
    pub mr_signer: [u8; 32],
    pub isv_prod_id: u16,
    pub isv_svn: u16,
    pub report_data: [u8; 64],
}

#[derive(Clone, Debug)]
pub struct Quote {
    pub version: u16,
    pub report: TdReport,
    pub signed: Vec<u8>,
    pub signature: [u8; 64],
    pub attestation_key: [u8; 64],
    pub qe_report: QeReport,
    pub qe_report_signature: [u8; 64],
    pub qe_auth_data: Vec<u8>,
    pub pck_chain_pem: Vec<u8>,
}

struct Cursor<'a> {
    d: &'a [u8],
    p: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.p.checked_add(n).ok_or("quote: length overflow")?;
        if end > self.d.len() {
            return Err("quote: truncated".into());
        }
        let s = &self.d[self.p..end];
        self.p = end;
        Ok(s)
    }
    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn arr<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
}

impl QeReport {
    pub fn parse(raw: &[u8]) -> Result<QeReport, String> {
        if raw.len() != QE_REPORT_LEN {
            return Err("quote: QE report must be 384 bytes".into());
        }
        let mut misc = [0u8; 4];
        misc.copy_from_slice(&raw[16..20]);
        let mut attributes = [0u8; 16];
        attributes.copy_from_slice(&raw[48..64]);
        let mut mr_signer = [0u8; 32];
        mr_signer.copy_from_slice(&raw[128..160]);
        let mut report_data = [0u8; 64];
        report_data.copy_from_slice(&raw[320..384]);
        Ok(QeReport {
            raw: raw.to_vec(),
            misc_select: misc,
            attributes,
            mr_signer,
            isv_prod_id: u16::from_le_bytes([raw[256], raw[257]]),
            isv_svn: u16::from_le_bytes([raw[258], raw[259]]),
            report_data,
        })
    }
}

impl Quote {
    pub fn parse(raw: &[u8]) -> Result<Quote, String> {
        let mut c = Cursor { d: raw, p: 0 };
        let version = c.u16()?;
        let key_type = c.u16()?;
        let tee_type = c.u32()?;
        if version != 4 {
            return Err(format!("quote: unsupported version {} (TDX quote v4 expected)", version));
        }
        if tee_type != TEE_TYPE_TDX {
            return Err("quote: not a TDX quote".into());
        }
        if key_type != ATTESTATION_KEY_ECDSA_P256 {
            return Err("quote: attestation key type is not ECDSA P-256".into());
        }
        c.take(4)?; // QE SVN, PCE SVN
        if c.take(16)? != INTEL_QE_VENDOR_ID {
            return Err("quote: unknown QE vendor id".into());
        }
        c.take(20)?; // user data
        let report = TdReport {
            tee_tcb_svn: c.arr()?,
            mr_seam: c.take(48)?.to_vec(),
            mr_signer_seam: c.take(48)?.to_vec(),
            seam_attributes: c.arr()?,
            td_attributes: c.arr()?,
            xfam: c.arr()?,
            mr_td: c.take(48)?.to_vec(),
            mr_config_id: c.take(48)?.to_vec(),
            mr_owner: c.take(48)?.to_vec(),
            mr_owner_config: c.take(48)?.to_vec(),
            rtmr0: c.take(48)?.to_vec(),
            rtmr1: c.take(48)?.to_vec(),
            rtmr2: c.take(48)?.to_vec(),
            rtmr3: c.take(48)?.to_vec(),
            report_data: c.take(64)?.to_vec(),
        };
        debug_assert_eq!(c.p, SIGNED_LEN);
        let sig_len = c.u32()? as usize;
        // Bytes after the declared signature data are ignored, as dcap-qvl does: quote buffers
        // from the QGS may be padded, and nothing after the signature data is covered by it.
        let sig_data = c.take(sig_len)?;
        let mut s = Cursor { d: sig_data, p: 0 };
        let signature = s.arr::<64>()?;
        let attestation_key = s.arr::<64>()?;
        if s.u16()? != CERT_TYPE_QE_REPORT {
            return Err("quote: certification data is not QE report certification data".into());
        }
        let body_len = s.u32()? as usize;
        let body = s.take(body_len)?;
        let mut b = Cursor { d: body, p: 0 };
        let qe_report = QeReport::parse(b.take(QE_REPORT_LEN)?)?;
        let qe_report_signature = b.arr::<64>()?;
        let auth_len = b.u16()? as usize;
        let qe_auth_data = b.take(auth_len)?.to_vec();
        if b.u16()? != CERT_TYPE_PCK_CHAIN {
            return Err("quote: QE certification data is not a PCK certificate chain".into());
        }
        let chain_len = b.u32()? as usize;
        let pck_chain_pem = b.take(chain_len)?.to_vec();
        Ok(Quote {
            version,
            report,
            signed: raw[..SIGNED_LEN].to_vec(),
            signature,
            attestation_key,
            qe_report,
            qe_report_signature,
            qe_auth_data,
            pck_chain_pem,
        })
    }
}
