//! On-chain verification of Intel TDX DCAP quotes (v4, ECDSA P-256), following the rules of
//! Phala's dcap-qvl: collateral signatures and validity windows, PCK certificate chain to a
//! pinned root with CRLs, QE report signature and its binding to the attestation key, quote
//! signature, QE identity and TCB level matching, TD attributes.
//!
//! No dependency on the NEAR runtime, so everything is tested natively.

pub mod chain;
pub mod crl;
pub mod der;
pub mod eventlog;
pub mod p256;
pub mod qe_identity;
pub mod quote;
pub mod tcb;
pub mod x509;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The Intel SGX Root CA (DER), from dcap-qvl `src/TrustedRootCA.der`;
/// sha256 44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3.
pub const INTEL_SGX_ROOT_CA_DER: &[u8] = include_bytes!("intel_sgx_root_ca.der");

/// Quote collateral, in the JSON shape dcap-qvl's `QuoteCollateralV3` serializes to:
/// PEM chains and JSON bodies as strings, CRLs and signatures as hex.
#[derive(Deserialize, Serialize, Clone, Debug)]
pub struct Collateral {
    pub pck_crl_issuer_chain: String,
    pub root_ca_crl: String,
    pub pck_crl: String,
    pub tcb_info_issuer_chain: String,
    pub tcb_info: String,
    pub tcb_info_signature: String,
    pub qe_identity_issuer_chain: String,
    pub qe_identity: String,
    pub qe_identity_signature: String,
}

/// The verifier's own requirements beyond Intel's rules. `Default` adds none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    /// TCB info and QE identity with a lower `tcbEvaluationDataNumber` are refused (0: any).
    pub min_tcb_evaluation_data_number: u32,
}

/// What a successful verification establishes.
#[derive(Clone, Debug, PartialEq)]
pub struct Verified {
    pub status: String,
    pub advisory_ids: Vec<String>,
    /// The lower `tcbEvaluationDataNumber` of the TCB info and QE identity the status was found
    /// with: the Intel TCB evaluation it rests on (a caller may later stop trusting older ones).
    pub tcb_evaluation_data_number: u32,
    pub report: quote::TdReport,
}

fn raw_sig(hex_sig: &str, what: &str) -> Result<[u8; 64], String> {
    tcb::hex_exact::<64>(hex_sig, what)
}

/// Verifies a signed JSON collateral body (TCB info / QE identity): its issuer chain must end
/// in Intel's TCB signing certificate issued by the root, and that certificate must have signed it.
fn verify_signed_json(
    body: &str,
    signature_hex: &str,
    chain_pem: &str,
    root: &x509::Certificate,
    root_crl: &crl::Crl,
    now: i64,
    what: &str,
) -> Result<(), String> {
    let chain = x509::pem_certificates(chain_pem.as_bytes())?;
    let signer = chain::verify_tcb_signer(&chain, root, root_crl, now).map_err(|e| format!("{} issuer chain: {}", what, e))?;
    let sig = raw_sig(signature_hex, what)?;
    if !p256::verify(&signer.public_key, body.as_bytes(), &sig) {
        return Err(format!("{}: signature is invalid", what));
    }
    Ok(())
}

/// Refuses collateral older than the caller's minimum TCB evaluation data number: Intel raises
/// the number at each TCB recovery, and superseded TCB info stays inside its own validity window
/// for weeks, still calling platforms that missed the recovery up to date.
fn check_evaluation_number(number: u32, policy: &Policy, what: &str) -> Result<(), String> {
    if number < policy.min_tcb_evaluation_data_number {
        return Err(format!(
            "{}: tcbEvaluationDataNumber {} is below the required minimum {} (superseded collateral)",
            what, number, policy.min_tcb_evaluation_data_number
        ));
    }
    Ok(())
}

fn check_window(issue: &str, next: &str, now: i64, what: &str) -> Result<(), String> {
    if now < der::parse_rfc3339(issue)? {
        return Err(format!("{}: issue date is in the future", what));
    }
    if now > der::parse_rfc3339(next)? {
        return Err(format!("{}: expired", what));
    }
    Ok(())
}

/// TD attributes policy (Intel TDX module spec A.3.4): no debug, no reserved bits,
/// SEPT_VE_DISABLE set.
fn check_td_attributes(a: &[u8; 8]) -> Result<(), String> {
    let tud = a[0];
    if tud & 0x01 != 0 {
        return Err("quote: TD is in debug mode".into());
    }
    if tud & !0x01 != 0 {
        return Err("quote: reserved TUD bits set".into());
    }
    let reserved_lower = a[1] != 0 || a[2] != 0 || a[3] & 0x0f != 0;
    let reserved_bit29 = a[3] & 0x20 != 0;
    let reserved_other = a[4] != 0 || a[5] != 0 || a[6] != 0 || a[7] & 0x7f != 0;
    if reserved_lower || reserved_bit29 || reserved_other {
        return Err("quote: reserved TD attribute bits set".into());
    }
    if a[3] & 0x10 == 0 {
        return Err("quote: SEPT_VE_DISABLE is not set".into());
    }
    Ok(())
}

/// Full DCAP verification of a TDX v4 quote at `now_secs` (unix seconds) against the pinned
/// `root_ca_der`, with no [`Policy`] minimum. Revoked platforms are refused; any other status is
/// returned for the caller's policy to accept or not.
pub fn verify(raw_quote: &[u8], collateral: &Collateral, now_secs: u64, root_ca_der: &[u8]) -> Result<Verified, String> {
    verify_with_policy(raw_quote, collateral, now_secs, root_ca_der, &Policy::default())
}

/// [`verify`], also refusing collateral the `policy` considers superseded.
pub fn verify_with_policy(
    raw_quote: &[u8],
    collateral: &Collateral,
    now_secs: u64,
    root_ca_der: &[u8],
    policy: &Policy,
) -> Result<Verified, String> {
    let now = now_secs as i64;
    let root = x509::Certificate::parse(root_ca_der).map_err(|e| format!("root CA: {}", e))?;
    // The pinned root is a trust anchor: its self-signature was checked when it was pinned
    // (tee-dao `new`), so only its name form is checked here.
    if root.issuer != root.subject {
        return Err("root CA is not a self-issued certificate".into());
    }
    let crls = chain::Crls {
        root: crl::Crl::parse(&hex::decode(&collateral.root_ca_crl).map_err(|_| "root_ca_crl is not hex")?)?,
        pck: crl::Crl::parse(&hex::decode(&collateral.pck_crl).map_err(|_| "pck_crl is not hex")?)?,
    };

    let quote = quote::Quote::parse(raw_quote)?;

    // Collateral: TCB info and QE identity, signed by Intel's TCB signing key, within their window.
    let tcb_info: tcb::TcbInfo = serde_json::from_str(&collateral.tcb_info).map_err(|e| format!("tcb_info: {}", e))?;
    check_window(&tcb_info.issue_date, &tcb_info.next_update, now, "TCB info")?;
    verify_signed_json(&collateral.tcb_info, &collateral.tcb_info_signature, &collateral.tcb_info_issuer_chain, &root, &crls.root, now, "TCB info")?;
    check_evaluation_number(tcb_info.tcb_evaluation_data_number, policy, "TCB info")?;
    let qe_identity: qe_identity::QeIdentity =
        serde_json::from_str(&collateral.qe_identity).map_err(|e| format!("qe_identity: {}", e))?;
    check_window(&qe_identity.issue_date, &qe_identity.next_update, now, "QE identity")?;
    verify_signed_json(
        &collateral.qe_identity,
        &collateral.qe_identity_signature,
        &collateral.qe_identity_issuer_chain,
        &root,
        &crls.root,
        now,
        "QE identity",
    )?;
    check_evaluation_number(qe_identity.tcb_evaluation_data_number, policy, "QE identity")?;

    // PCK chain from the quote, to the pinned root, not revoked.
    let pck_chain = x509::pem_certificates(&quote.pck_chain_pem)?;
    let pck = chain::verify_chain(&pck_chain, &root, &crls, now).map_err(|e| format!("PCK chain: {}", e))?;
    let ext = x509::sgx_extension(&pck)?;

    // The QE report is signed by the PCK key and binds the attestation key.
    if !p256::verify(&pck.public_key, &quote.qe_report.raw, &quote.qe_report_signature) {
        return Err("QE report signature is invalid".into());
    }
    if quote.qe_auth_data.len() != 32 {
        return Err("QE auth data must be 32 bytes".into());
    }
    let mut h = Sha256::new();
    h.update(quote.attestation_key);
    h.update(&quote.qe_auth_data);
    let binding: [u8; 32] = h.finalize().into();
    if binding[..] != quote.qe_report.report_data[..32] {
        return Err("QE report data does not bind the attestation key".into());
    }
    let qe_status = qe_identity::match_qe(&qe_identity, &quote.qe_report)?;

    // The quote (header + TD report) is signed by the attestation key.
    if !p256::verify(&quote.attestation_key, &quote.signed, &quote.signature) {
        return Err("quote signature is invalid".into());
    }

    let platform = tcb::match_platform(&tcb_info, &ext.cpu_svn, ext.pce_svn, &ext.fmspc, &ext.pce_id, &quote.report)?;
    let status = platform.merge(&qe_status);
    if status.status == "Revoked" {
        return Err("TCB status is Revoked".into());
    }
    check_td_attributes(&quote.report.td_attributes)?;
    Ok(Verified {
        status: status.status,
        advisory_ids: status.advisory_ids,
        tcb_evaluation_data_number: tcb_info.tcb_evaluation_data_number.min(qe_identity.tcb_evaluation_data_number),
        report: quote.report,
    })
}
