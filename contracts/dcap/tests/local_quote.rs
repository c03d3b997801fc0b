//! DCAP verification through a locally generated Intel-shaped PKI (see gen_local_pki.py):
//! exercises the same code paths as the real sample with a quote whose report_data and RTMR3
//! are under the test's control, plus revocation.

use dcap::{eventlog, verify, Collateral};

const QUOTE: &[u8] = include_bytes!("vectors/local/quote.bin");
const ROOT: &[u8] = include_bytes!("vectors/local/root_ca.der");
const COLLATERAL: &str = include_str!("vectors/local/collateral.json");
const EVENTS: &str = include_str!("vectors/local/event_log.json");
const EXPECTED: &str = include_str!("vectors/local/expected.json");
const REVOKING_CRL: &str = include_str!("vectors/local/pck_crl_revoking_leaf.hex");

fn expected() -> serde_json::Value {
    serde_json::from_str(EXPECTED).unwrap()
}

fn now() -> u64 {
    expected()["verify_at"].as_u64().unwrap()
}

fn collateral() -> Collateral {
    serde_json::from_str(COLLATERAL).unwrap()
}

#[test]
fn local_quote_verifies_and_binds_key_and_rtmr3() {
    let v = verify(QUOTE, &collateral(), now(), ROOT).unwrap();
    assert_eq!(v.status, "UpToDate");
    let e = expected();
    assert_eq!(hex::encode(&v.report.report_data[..32]), e["worker_public_key_hex"].as_str().unwrap());
    assert_eq!(v.report.report_data[32..], [0u8; 32]);
    let events: Vec<eventlog::Event> = serde_json::from_str(EVENTS).unwrap();
    assert_eq!(hex::encode(eventlog::replay(&events, 3).unwrap()), e["rtmr3"].as_str().unwrap());
    assert_eq!(hex::encode(&v.report.rtmr3), e["rtmr3"].as_str().unwrap());
}

#[test]
fn intel_root_does_not_accept_the_local_chain() {
    let e = verify(QUOTE, &collateral(), now(), dcap::INTEL_SGX_ROOT_CA_DER).unwrap_err();
    assert!(e.contains("chain"), "{}", e);
}

#[test]
fn revoked_pck_certificate_is_rejected() {
    let mut c = collateral();
    c.pck_crl = REVOKING_CRL.trim().to_string();
    let e = verify(QUOTE, &c, now(), ROOT).unwrap_err();
    assert!(e.contains("revoked"), "{}", e);
}

#[test]
fn collateral_outside_its_window_is_rejected() {
    // TCB info, QE identity and CRLs are issued 2026-01-01; the JSON bodies expire 2026-02-01.
    let e = verify(QUOTE, &collateral(), 1767225600 - 1, ROOT).unwrap_err();
    assert!(e.contains("issue date is in the future"), "{}", e);
    let e = verify(QUOTE, &collateral(), 1769904000 + 1, ROOT).unwrap_err();
    assert!(e.contains("expired"), "{}", e);
}

#[test]
fn every_signed_byte_matters() {
    for offset in (0..632).step_by(37).chain([640, 700, 760, 800, 1000, 1100, 1200, 1270, 1290, 1310]) {
        let mut q = QUOTE.to_vec();
        q[offset] ^= 0x80;
        assert!(verify(&q, &collateral(), now(), ROOT).is_err(), "flip at {} accepted", offset);
    }
}
