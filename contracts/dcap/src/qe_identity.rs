//! Intel QE Identity (TD_QE, v2/v3) JSON and the QE report policy (the shape of dcap-qvl's
//! `verify_qe_identity_policy`): signer, product id, masked MISCSELECT/ATTRIBUTES, no debug,
//! and the QE's TCB level by ISVSVN.

use crate::tcb::{hex_exact, ModuleTcbLevel, Status};
use serde::Deserialize;

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct QeIdentity {
    pub id: String,
    pub version: u32,
    pub issue_date: String,
    pub next_update: String,
    /// Raised by Intel at every TCB recovery; lets a verifier refuse a superseded QE identity.
    pub tcb_evaluation_data_number: u32,
    pub miscselect: String,
    pub miscselect_mask: String,
    pub attributes: String,
    pub attributes_mask: String,
    pub mrsigner: String,
    pub isvprodid: u16,
    pub tcb_levels: Vec<ModuleTcbLevel>,
}

/// Checks the QE report against the QE Identity and returns the QE's TCB status.
pub fn match_qe(identity: &QeIdentity, qe: &crate::quote::QeReport) -> Result<Status, String> {
    if identity.id != "TD_QE" || !(identity.version == 2 || identity.version == 3) {
        return Err("qe: TDX quote needs a TD_QE identity v2/v3".into());
    }
    if qe.mr_signer != hex_exact::<32>(&identity.mrsigner, "mrsigner")? {
        return Err("qe: MRSIGNER mismatch".into());
    }
    if qe.attributes[0] & 0x02 != 0 {
        return Err("qe: QE runs in debug mode".into());
    }
    if qe.isv_prod_id != identity.isvprodid {
        return Err("qe: ISVPRODID mismatch".into());
    }
    let misc = hex_exact::<4>(&identity.miscselect, "miscselect")?;
    let misc_mask = hex_exact::<4>(&identity.miscselect_mask, "miscselectMask")?;
    for i in 0..4 {
        if qe.misc_select[i] & misc_mask[i] != misc[i] & misc_mask[i] {
            return Err("qe: MISCSELECT mismatch".into());
        }
    }
    let attrs = hex_exact::<16>(&identity.attributes, "attributes")?;
    let attrs_mask = hex_exact::<16>(&identity.attributes_mask, "attributesMask")?;
    for i in 0..16 {
        if qe.attributes[i] & attrs_mask[i] != attrs[i] & attrs_mask[i] {
            return Err("qe: ATTRIBUTES mismatch".into());
        }
    }
    let level = identity
        .tcb_levels
        .iter()
        .find(|l| qe.isv_svn >= l.tcb.isvsvn)
        .ok_or("qe: ISVSVN below every QE TCB level")?;
    Status::new(&level.tcb_status, &level.advisory_ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (QeIdentity, crate::quote::QeReport) {
        let c: crate::Collateral = serde_json::from_str(include_str!("../tests/vectors/dcap_qvl_tdx_quote_collateral.json")).unwrap();
        let q = crate::quote::Quote::parse(include_bytes!("../tests/vectors/dcap_qvl_tdx_quote.bin")).unwrap();
        (serde_json::from_str(&c.qe_identity).unwrap(), q.qe_report)
    }

    #[test]
    fn sample_qe_is_up_to_date() {
        let (id, qe) = sample();
        assert_eq!(match_qe(&id, &qe).unwrap().status, "UpToDate");
    }

    #[test]
    fn qe_policy_rejections() {
        let (id, qe) = sample();
        let mut bad = qe.clone();
        bad.mr_signer[0] ^= 1;
        assert_eq!(match_qe(&id, &bad).unwrap_err(), "qe: MRSIGNER mismatch");
        let mut bad = qe.clone();
        bad.attributes[0] |= 0x02;
        assert_eq!(match_qe(&id, &bad).unwrap_err(), "qe: QE runs in debug mode");
        let mut bad = qe.clone();
        bad.isv_prod_id += 1;
        assert_eq!(match_qe(&id, &bad).unwrap_err(), "qe: ISVPRODID mismatch");
        let mut bad = qe;
        bad.isv_svn = 0;
        assert!(match_qe(&id, &bad).unwrap_err().contains("ISVSVN"));
        let (mut sgx_id, qe) = sample();
        sgx_id.id = "QE".into();
        assert!(match_qe(&sgx_id, &qe).is_err());
    }
}
