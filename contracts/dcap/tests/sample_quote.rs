//! DCAP verification of the real dcap-qvl sample quote, and rejection of every kind of change.

use dcap::{verify, Collateral, INTEL_SGX_ROOT_CA_DER};

const QUOTE: &[u8] = include_bytes!("vectors/dcap_qvl_tdx_quote.bin");
const COLLATERAL: &str = include_str!("vectors/dcap_qvl_tdx_quote_collateral.json");
/// The time dcap-qvl's own test verifies the sample at (inside the collateral window).
const NOW: u64 = 1752919234;

fn collateral() -> Collateral {
    serde_json::from_str(COLLATERAL).unwrap()
}

#[test]
fn sample_quote_is_up_to_date() {
    let v = verify(QUOTE, &collateral(), NOW, INTEL_SGX_ROOT_CA_DER).unwrap();
    assert_eq!(v.status, "UpToDate");
    assert!(v.advisory_ids.is_empty());
    assert_eq!(hex::encode(&v.report.mr_td), "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7");
    assert_eq!(v.report.rtmr3, vec![0u8; 48]);
}

#[test]
fn outside_the_collateral_window_is_rejected() {
    // QE identity issued 2025-06-19T10:32:27Z, TCB info valid until 2025-07-19T10:16:03Z.
    let before = verify(QUOTE, &collateral(), 1750329147 - 1, INTEL_SGX_ROOT_CA_DER).unwrap_err();
    assert!(before.contains("in the future"), "{}", before);
    let after = verify(QUOTE, &collateral(), 1752920164, INTEL_SGX_ROOT_CA_DER).unwrap_err();
    assert!(after.contains("expired"), "{}", after);
}

#[test]
fn bit_flips_in_signed_parts_are_rejected() {
    // Header, TD report fields (mr_td, rtmr3, report_data), the quote signature, the
    // attestation key, the QE report, its signature, the QE auth data, the PCK leaf and the
    // platform CA. (The chain's trailing copy of the root is not used: the pinned root is.)
    for &offset in &[10usize, 60, 200, 530, 600, 640, 700, 770, 900, 1100, 1150, 1230, 1300, 2000, 3000] {
        let mut q = QUOTE.to_vec();
        q[offset] ^= 0x01;
        assert!(verify(&q, &collateral(), NOW, INTEL_SGX_ROOT_CA_DER).is_err(), "flip at {} accepted", offset);
    }
}

#[test]
fn tampered_collateral_is_rejected() {
    let mut c = collateral();
    c.tcb_info = c.tcb_info.replacen("UpToDate", "UpToDatE", 1);
    assert!(verify(QUOTE, &c, NOW, INTEL_SGX_ROOT_CA_DER).is_err());

    let mut c = collateral();
    let mut sig = hex::decode(&c.qe_identity_signature).unwrap();
    sig[5] ^= 1;
    c.qe_identity_signature = hex::encode(sig);
    let e = verify(QUOTE, &c, NOW, INTEL_SGX_ROOT_CA_DER).unwrap_err();
    assert!(e.contains("QE identity"), "{}", e);

    let mut c = collateral();
    let mut crl = hex::decode(&c.pck_crl).unwrap();
    let n = crl.len();
    crl[n - 10] ^= 1; // inside the CRL signature
    c.pck_crl = hex::encode(crl);
    let e = verify(QUOTE, &c, NOW, INTEL_SGX_ROOT_CA_DER).unwrap_err();
    assert!(e.contains("no CRL"), "{}", e);
}

#[test]
fn another_root_is_rejected() {
    // Any certificate other than the Intel root: take the PCK platform CA from the chain.
    let chain = dcap::x509::pem_certificates(collateral().pck_crl_issuer_chain.as_bytes()).unwrap();
    let e = verify(QUOTE, &collateral(), NOW, &chain[0]).unwrap_err();
    assert!(e.contains("root CA"), "{}", e);
}

#[test]
fn truncated_quote_is_rejected() {
    // The sample carries 70 bytes of padding after its 4300 bytes of signature data.
    assert!(verify(&QUOTE[..636 + 4299], &collateral(), NOW, INTEL_SGX_ROOT_CA_DER).is_err());
    assert!(verify(&QUOTE[..100], &collateral(), NOW, INTEL_SGX_ROOT_CA_DER).is_err());
}
