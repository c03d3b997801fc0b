//! Unit tests of the DAO against the mocked host. Registration uses the locally generated
//! quote of dcap/tests/vectors/local (its report_data binds a known key, its RTMR3 replays
//! from its event log) with that PKI's root given at init, and the real Intel sample quote
//! with the embedded Intel root for the DCAP path.

use super::*;
use near_host::mock::{self, call, with_state, MockAction};
use serde_json::{json, Value};

const DAO: &str = "dao.test.near";
const MPC: &str = "v1.signer-prod.testnet";
const KEYS: &str = "keys.test.near";
const COUNCIL: [&str; 3] = ["alice.test.near", "bob.test.near", "carol.test.near"];

const LOCAL_QUOTE: &[u8] = include_bytes!("../../dcap/tests/vectors/local/quote.bin");
const LOCAL_ROOT: &[u8] = include_bytes!("../../dcap/tests/vectors/local/root_ca.der");
const LOCAL_COLLATERAL: &str = include_str!("../../dcap/tests/vectors/local/collateral.json");
const LOCAL_EVENTS: &str = include_str!("../../dcap/tests/vectors/local/event_log.json");
const LOCAL_EXPECTED: &str = include_str!("../../dcap/tests/vectors/local/expected.json");
const LOCAL_COMPOSE: &str = include_str!("../../dcap/tests/vectors/local/app_compose.json");
const LOCAL_QUOTE_B: &[u8] = include_bytes!("../../dcap/tests/vectors/local/quote_b.bin");
const LOCAL_EVENTS_B: &str = include_str!("../../dcap/tests/vectors/local/event_log_b.json");
const INTEL_QUOTE: &[u8] = include_bytes!("../../dcap/tests/vectors/dcap_qvl_tdx_quote.bin");
const INTEL_COLLATERAL: &str = include_str!("../../dcap/tests/vectors/dcap_qvl_tdx_quote_collateral.json");

fn expected() -> Value {
    serde_json::from_str(LOCAL_EXPECTED).unwrap()
}

/// The fixture's OS measurement set: MRTD, RTMR0–2 and the key-provider event's digest.
fn local_os() -> Value {
    let e = expected();
    json!({ "mrtd": e["mrtd"], "rtmr0": e["rtmr0"], "rtmr1": e["rtmr1"], "rtmr2": e["rtmr2"], "key_provider_digest": e["key_provider_digest"] })
}

fn local_compose_hash() -> String {
    let h = expected()["compose_hash"].as_str().unwrap().to_string();
    // The fixture's compose-hash event is sha256 of its app-compose document, computed here independently.
    assert_eq!(h, hex::encode(sha256(LOCAL_COMPOSE.as_bytes())));
    h
}

fn worker_b_key_bytes() -> [u8; 32] {
    let mut k = [0u8; 32];
    k.copy_from_slice(&hex::decode(expected()["worker_b_public_key_hex"].as_str().unwrap()).unwrap());
    k
}

fn worker_key_bytes() -> [u8; 32] {
    let mut k = [0u8; 32];
    k.copy_from_slice(&hex::decode(expected()["worker_public_key_hex"].as_str().unwrap()).unwrap());
    k
}

fn worker_pk() -> String {
    ed25519_string(&worker_key_bytes())
}

fn init_args(root: Option<&[u8]>) -> Value {
    let mut a = json!({
        "council": COUNCIL, "threshold": 2, "mpc_contract_id": MPC, "ckd_domain_id": 2,
        "ckd_path": "keystore", "chain_keys_contract_id": KEYS,
    });
    if let Some(r) = root {
        a["root_ca_der_hex"] = json!(hex::encode(r));
    }
    a
}

/// A fresh, uninitialized DAO account at the local fixture's verification time.
fn before_init() {
    mock::reset();
    with_state(|s| {
        s.current_account_id = DAO.into();
        s.predecessor_account_id = DAO.into();
        s.block_timestamp = expected()["verify_at"].as_u64().unwrap() * 1_000_000_000;
    });
}

fn setup_with(root: Option<&[u8]>) {
    before_init();
    call(new, &init_args(root).to_string()).unwrap();
}

fn setup() {
    setup_with(Some(LOCAL_ROOT));
}

fn as_account(who: &str) {
    with_state(|s| {
        s.predecessor_account_id = who.into();
        s.signer_account_id = who.into();
    });
}

fn as_worker(key: &[u8; 32]) {
    with_state(|s| {
        s.predecessor_account_id = DAO.into();
        s.signer_account_id = DAO.into();
        s.signer_account_pk = ed25519_borsh(key);
    });
}

fn json_of(r: Result<Vec<u8>, String>) -> Value {
    serde_json::from_slice(&r.unwrap()).unwrap()
}

fn view(method: fn(), args: Value) -> Value {
    json_of(call(method, &args.to_string()))
}

fn propose_as(who: &str, action: Value) -> Result<Value, String> {
    as_account(who);
    call(propose, &action.to_string()).map(|b| serde_json::from_slice(&b).unwrap())
}

fn vote_as(who: &str, id: u64) -> Result<Value, String> {
    as_account(who);
    call(vote, &json!({ "proposal_id": id }).to_string()).map(|b| serde_json::from_slice(&b).unwrap())
}

/// Proposes `action` and has a second member vote it through.
fn pass(action: Value) {
    let p = propose_as(COUNCIL[0], action).unwrap();
    let p = vote_as(COUNCIL[1], p["id"].as_u64().unwrap()).unwrap();
    assert_eq!(p["status"], "executed");
}

fn add_os(m: Value) -> Value {
    let mut a = m;
    a["kind"] = json!("add_os_measurement");
    a
}

fn remove_os(m: Value) -> Value {
    let mut a = m;
    a["kind"] = json!("remove_os_measurement");
    a
}

/// The council approves the fixture's OS set and compose hash.
fn approve_local() {
    pass(add_os(local_os()));
    pass(json!({ "kind": "add_compose_hash", "compose_hash": local_compose_hash() }));
}

fn register_args(pk: &str, quote: &[u8], collateral: &str, events: &str) -> String {
    register_args_with(pk, quote, collateral, events, LOCAL_COMPOSE)
}

fn register_args_with(pk: &str, quote: &[u8], collateral: &str, events: &str, app_compose: &str) -> String {
    json!({
        "public_key": pk,
        "quote_hex": hex::encode(quote),
        "collateral": serde_json::from_str::<Value>(collateral).unwrap(),
        "event_log": serde_json::from_str::<Value>(events).unwrap(),
        "app_compose": app_compose,
    })
    .to_string()
}

fn register_local() -> Result<Vec<u8>, String> {
    as_account("relayer.test.near");
    call(register_worker_key, &register_args(&worker_pk(), LOCAL_QUOTE, LOCAL_COLLATERAL, LOCAL_EVENTS))
}

fn register_local_b() -> Result<Vec<u8>, String> {
    as_account("relayer.test.near");
    call(register_worker_key, &register_args(&ed25519_string(&worker_b_key_bytes()), LOCAL_QUOTE_B, LOCAL_COLLATERAL, LOCAL_EVENTS_B))
}

// ---------------------------------------------------------------- init

#[test]
fn init_validates_and_runs_once() {
    mock::reset();
    with_state(|s| {
        s.current_account_id = DAO.into();
        s.predecessor_account_id = DAO.into();
    });
    let mut bad = init_args(None);
    bad["threshold"] = json!(4);
    assert!(call(new, &bad.to_string()).unwrap_err().contains("threshold"));
    let mut bad = init_args(None);
    bad["council"] = json!(["a.near", "a.near"]);
    assert!(call(new, &bad.to_string()).unwrap_err().contains("duplicate"));
    let mut bad = init_args(None);
    bad["root_ca_der_hex"] = json!("3000");
    assert!(call(new, &bad.to_string()).unwrap_err().contains("root CA"));
    let mut bad = init_args(None);
    bad["accepted_tcb_statuses"] = json!(["Revoked"]);
    assert!(call(new, &bad.to_string()).unwrap_err().contains("Revoked"));
    as_account("mallory.test.near");
    assert_eq!(call(new, &init_args(None).to_string()).unwrap_err(), "only the contract account may initialize");
    as_account(DAO);
    call(new, &init_args(None).to_string()).unwrap();
    assert_eq!(call(new, &init_args(None).to_string()).unwrap_err(), "already initialized");
    let cfg = view(get_config, json!({}));
    assert_eq!(cfg["root_ca_is_intel"], true);
    assert_eq!(cfg["root_ca_sha256"], "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3");
    assert_eq!(cfg["proposal_ttl_seconds"], 604800);
    assert_eq!(cfg["worker_allowance"], "1000000000000000000000000");
    assert_eq!(cfg["accepted_tcb_statuses"], json!(["UpToDate"]));
}

// ---------------------------------------------------------------- governance

#[test]
fn init_refuses_an_unlimited_worker_allowance_and_a_proposal_ttl_too_short_to_vote() {
    // Allowance 0 is the runtime's "unlimited": a worker key could burn the DAO's whole balance in gas.
    before_init();
    let mut a = init_args(Some(LOCAL_ROOT));
    a["worker_allowance"] = json!("0");
    assert_eq!(call(new, &a.to_string()).unwrap_err(), "worker_allowance must be a positive yoctoNEAR decimal string (0 would be unlimited)");
    // With no time to vote, no proposal needing a second vote could ever pass: the council (the
    // only way to change the DAO once its full-access keys are gone) would be frozen for good.
    let mut a = init_args(Some(LOCAL_ROOT));
    a["proposal_ttl_seconds"] = json!(0);
    assert_eq!(call(new, &a.to_string()).unwrap_err(), "proposal_ttl_seconds must be at least 3600");
    let mut a = init_args(Some(LOCAL_ROOT));
    a["proposal_ttl_seconds"] = json!(3600);
    a["worker_allowance"] = json!("1");
    call(new, &a.to_string()).unwrap();
}

#[test]
fn measurements_need_threshold_votes() {
    setup();
    let p = propose_as(COUNCIL[0], add_os(local_os())).unwrap();
    assert_eq!(p["status"], "open");
    assert_eq!(p["votes"], json!([COUNCIL[0]]));
    assert_eq!(p["action"], add_os(local_os()));
    assert_eq!(view(list_os_measurements, json!({})), json!([]));
    let p = vote_as(COUNCIL[2], 0).unwrap();
    assert_eq!(p["status"], "executed");
    assert_eq!(view(list_os_measurements, json!({})), json!([local_os()]));
    assert_eq!(vote_as(COUNCIL[1], 0).unwrap_err(), "proposal is not open");
    assert_eq!(view(get_proposal, json!({ "proposal_id": 0 }))["status"], "executed");
    assert_eq!(view(list_proposals, json!({})).as_array().unwrap().len(), 1);
    let p = propose_as(COUNCIL[1], json!({ "kind": "add_compose_hash", "compose_hash": local_compose_hash() })).unwrap();
    assert_eq!(view(list_compose_hashes, json!({})), json!([]));
    vote_as(COUNCIL[0], p["id"].as_u64().unwrap()).unwrap();
    assert_eq!(view(list_compose_hashes, json!({})), json!([local_compose_hash()]));
    propose_as(COUNCIL[0], json!({ "kind": "set_threshold", "threshold": 3 })).unwrap();
    let page = view(list_proposals, json!({ "from_index": 1, "limit": 1 }));
    assert_eq!(page.as_array().unwrap().len(), 1);
    assert_eq!(page[0]["id"], 1);
    assert!(view(get_proposal, json!({ "proposal_id": 9 })).is_null());
}

#[test]
fn non_members_cannot_propose_or_vote() {
    setup();
    let err = propose_as("mallory.test.near", json!({ "kind": "set_threshold", "threshold": 1 })).unwrap_err();
    assert_eq!(err, "only council members may do this");
    propose_as(COUNCIL[0], json!({ "kind": "set_threshold", "threshold": 1 })).unwrap();
    assert_eq!(vote_as("mallory.test.near", 0).unwrap_err(), "only council members may do this");
}

#[test]
fn double_vote_is_rejected() {
    setup();
    propose_as(COUNCIL[0], json!({ "kind": "set_threshold", "threshold": 3 })).unwrap();
    assert_eq!(vote_as(COUNCIL[0], 0).unwrap_err(), "already voted");
}

#[test]
fn expired_proposal_cannot_be_voted() {
    setup();
    propose_as(COUNCIL[0], json!({ "kind": "set_threshold", "threshold": 3 })).unwrap();
    with_state(|s| s.block_timestamp += 604_800 * 1_000_000_000 + 1);
    assert_eq!(vote_as(COUNCIL[1], 0).unwrap_err(), "proposal expired");
    assert_eq!(view(get_proposal, json!({ "proposal_id": 0 }))["status"], "expired");
    assert_eq!(view(get_config, json!({}))["threshold"], 2);
}

#[test]
fn unknown_vote_target_and_bad_arguments() {
    setup();
    assert_eq!(vote_as(COUNCIL[0], 42).unwrap_err(), "no such proposal");
    let err = propose_as(COUNCIL[0], json!({ "kind": "launch_rockets" })).unwrap_err();
    assert!(err.starts_with("invalid arguments"), "{}", err);
    let mut m = local_os();
    m["mrtd"] = json!("A1".repeat(48));
    assert_eq!(propose_as(COUNCIL[0], add_os(m)).unwrap_err(), "mrtd must be 48 bytes of lowercase hex");
    let mut m = local_os();
    m["key_provider_digest"] = json!("ab".repeat(32));
    assert_eq!(propose_as(COUNCIL[0], add_os(m)).unwrap_err(), "key_provider_digest must be 48 bytes of lowercase hex");
    let mut m = local_os();
    m["rtmr3"] = json!("ab".repeat(48));
    let err = propose_as(COUNCIL[0], add_os(m)).unwrap_err();
    assert!(err.starts_with("invalid arguments") && err.contains("rtmr3"), "raw RTMR3 is not part of an OS set: {}", err);
    assert_eq!(propose_as(COUNCIL[0], remove_os(local_os())).unwrap_err(), "OS measurements are not approved");
    for bad in [json!("AB".repeat(32)), json!("ab".repeat(31)), json!("zz".repeat(32))] {
        let err = propose_as(COUNCIL[0], json!({ "kind": "add_compose_hash", "compose_hash": bad })).unwrap_err();
        assert!(err.starts_with("compose_hash must be 32 bytes of lowercase hex"), "{}", err);
    }
    let err = propose_as(COUNCIL[0], json!({ "kind": "remove_compose_hash", "compose_hash": local_compose_hash() })).unwrap_err();
    assert_eq!(err, "compose hash is not approved");
    let err = propose_as(COUNCIL[0], json!({ "kind": "approve_measurements", "measurements": {} })).unwrap_err();
    assert!(err.starts_with("invalid arguments"), "the raw-RTMR3 proposal kind is gone: {}", err);
    let err = propose_as(COUNCIL[0], json!({ "kind": "set_threshold", "threshold": 0 })).unwrap_err();
    assert!(err.contains("threshold"));
}

/// Proposals are stored on the DAO's balance (storage stake) whether or not they ever pass: one member
/// (below the threshold) must not be able to lock the DAO's funds with a few large proposals.
#[test]
fn one_member_cannot_store_proposals_of_unbounded_size() {
    setup();
    let before = with_state(|s| s.storage.values().map(|v| v.len()).sum::<usize>());
    let statuses = vec!["UpToDate"; 20_000];
    let err = propose_as(COUNCIL[0], json!({ "kind": "set_accepted_tcb_statuses", "statuses": statuses })).unwrap_err();
    assert_eq!(err, "accepted TCB status UpToDate is named twice");
    let err = propose_as(COUNCIL[0], json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["UpToDate"], "advisory_ids": ["INTEL-SA-00837", "INTEL-SA-00837"] })).unwrap_err();
    assert_eq!(err, "advisory id INTEL-SA-00837 is named twice");
    let council: Vec<String> = (0..101).map(|i| format!("member{}.test.near", i)).collect();
    let err = propose_as(COUNCIL[0], json!({ "kind": "set_council", "council": council, "threshold": 2 })).unwrap_err();
    assert_eq!(err, "a council has at most 100 members");
    assert_eq!(with_state(|s| s.storage.values().map(|v| v.len()).sum::<usize>()), before);
    // At the bounds, proposals are still accepted.
    let council: Vec<String> = (0..100).map(|i| format!("member{}.test.near", i)).collect();
    propose_as(COUNCIL[0], json!({ "kind": "set_council", "council": council, "threshold": 2 })).unwrap();
    propose_as(COUNCIL[0], json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["UpToDate", "SWHardeningNeeded", "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded", "OutOfDate", "OutOfDateConfigurationNeeded"] })).unwrap();
}

/// Each proposal stays stored on the DAO's balance: one member's open proposals are capped, so a
/// member below the threshold cannot pile them up; executed or expired ones free their place.
#[test]
fn a_member_has_at_most_ten_open_proposals() {
    setup();
    let ttl = |i: u64| json!({ "kind": "set_worker_ttl", "worker_ttl_seconds": 3600 + i });
    for i in 0..10 {
        propose_as(COUNCIL[0], ttl(i)).unwrap();
    }
    assert_eq!(propose_as(COUNCIL[0], ttl(10)).unwrap_err(), "a council member may have at most 10 open proposals");
    // Others are not held back by one member's proposals.
    propose_as(COUNCIL[1], ttl(11)).unwrap();
    // An executed proposal frees its place.
    vote_as(COUNCIL[1], 3).unwrap();
    let p = propose_as(COUNCIL[0], ttl(12)).unwrap();
    assert_eq!(propose_as(COUNCIL[0], ttl(13)).unwrap_err(), "a council member may have at most 10 open proposals");
    // Expired ones free theirs.
    let expires = p["expires_at_ns"].as_u64().unwrap();
    with_state(|s| s.block_timestamp = expires + 1);
    for i in 0..10 {
        propose_as(COUNCIL[0], ttl(20 + i)).unwrap();
    }
    assert!(propose_as(COUNCIL[0], ttl(30)).is_err());
}

#[test]
fn council_threshold_and_settings_change_by_vote() {
    setup();
    propose_as(COUNCIL[0], json!({ "kind": "set_council", "council": ["dave.test.near", "erin.test.near"], "threshold": 1 })).unwrap();
    vote_as(COUNCIL[1], 0).unwrap();
    let cfg = view(get_config, json!({}));
    assert_eq!(cfg["council"], json!(["dave.test.near", "erin.test.near"]));
    assert_eq!(cfg["threshold"], 1);
    // Old members are out; with threshold 1 a proposal executes on creation.
    assert!(propose_as(COUNCIL[0], json!({ "kind": "set_threshold", "threshold": 2 })).is_err());
    let p = propose_as("dave.test.near", json!({ "kind": "set_chain_keys_contract", "chain_keys_contract_id": "keys2.test.near" })).unwrap();
    assert_eq!(p["status"], "executed");
    let p = propose_as("dave.test.near", json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["UpToDate", "SWHardeningNeeded"] })).unwrap();
    assert_eq!(p["status"], "executed");
    assert!(propose_as("dave.test.near", json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["Revoked"] })).is_err());
    propose_as("dave.test.near", json!({ "kind": "set_threshold", "threshold": 2 })).unwrap();
    let cfg = view(get_config, json!({}));
    assert_eq!(cfg["chain_keys_contract_id"], "keys2.test.near");
    assert_eq!(cfg["threshold"], 2);
}

// ---------------------------------------------------------------- register_worker_key

#[test]
fn attested_worker_is_registered_with_a_restricted_access_key() {
    setup();
    approve_local();
    let w = json_of(register_local());
    assert_eq!(w["public_key"], worker_pk());
    assert_eq!(w["tcb_status"], "UpToDate");
    let e = expected();
    assert_eq!(w["measurements"], json!({ "mrtd": e["mrtd"], "rtmr0": e["rtmr0"], "rtmr1": e["rtmr1"], "rtmr2": e["rtmr2"], "rtmr3": e["rtmr3"] }));
    assert_eq!(w["os_measurement"], local_os());
    assert_eq!(w["compose_hash"], local_compose_hash());
    assert_eq!(w["instance_id"], "cd".repeat(20));
    let promises = with_state(|s| s.promises.clone());
    assert_eq!(promises.len(), 1);
    assert_eq!(promises[0].receiver_id, DAO);
    assert_eq!(
        promises[0].actions,
        vec![MockAction::AddKeyWithFunctionCall {
            public_key: ed25519_borsh(&worker_key_bytes()),
            nonce: 0,
            allowance: ONE_NEAR,
            receiver_id: DAO.into(),
            method_names: "request_master_secret,register_binding,worker_heartbeat,anchor_audit_head".into(),
        }]
    );
    assert_eq!(view(is_registered_worker, json!({ "public_key": worker_pk() })), json!(true));
    let got = view(get_worker, json!({ "public_key": worker_pk() }));
    assert_eq!(got["measurements_approved"], true);
    assert_eq!(view(list_workers, json!({})).as_array().unwrap().len(), 1);
    // Registering again is harmless: no second key is added.
    register_local().unwrap();
    assert!(with_state(|s| s.promises.is_empty()));
    assert_eq!(view(list_workers, json!({})).as_array().unwrap().len(), 1);
}

#[test]
fn report_data_must_bind_the_public_key() {
    setup();
    approve_local();
    let other = ed25519_string(&[9u8; 32]);
    as_account("relayer.test.near");
    let err = call(register_worker_key, &register_args(&other, LOCAL_QUOTE, LOCAL_COLLATERAL, LOCAL_EVENTS)).unwrap_err();
    assert!(err.starts_with("report_data does not bind public_key"), "{}", err);
    assert_eq!(view(is_registered_worker, json!({ "public_key": other })), json!(false));
}

#[test]
fn unapproved_os_measurements_or_compose_hash_are_rejected() {
    setup();
    let os_id = serde_json::from_value::<OsMeasurement>(local_os()).unwrap().set_id();
    assert_eq!(register_local().unwrap_err(), format!("compose hash {} is not approved", local_compose_hash()));
    pass(json!({ "kind": "add_compose_hash", "compose_hash": local_compose_hash() }));
    assert_eq!(register_local().unwrap_err(), format!("OS measurements {} are not approved", os_id));
    // Another key provider is another OS set, even with the same MRTD and RTMR0–2.
    let mut other = local_os();
    other["key_provider_digest"] = json!("00".repeat(48));
    pass(add_os(other));
    assert_eq!(register_local().unwrap_err(), format!("OS measurements {} are not approved", os_id));
    pass(add_os(local_os()));
    register_local().unwrap();
}

#[test]
fn two_instances_with_different_instance_ids_register_under_one_approval() {
    setup();
    approve_local();
    let e = expected();
    assert_ne!(e["rtmr3"], e["rtmr3_b"], "the instance-id makes RTMR3 differ");
    let a = json_of(register_local());
    let b = json_of(register_local_b());
    assert_eq!((a["instance_id"].as_str(), b["instance_id"].as_str()), (Some("cd".repeat(20).as_str()), Some("ef".repeat(20).as_str())));
    assert_eq!(a["measurements"]["rtmr3"], e["rtmr3"]);
    assert_eq!(b["measurements"]["rtmr3"], e["rtmr3_b"]);
    assert_eq!((&a["os_set_id"], &a["compose_hash"]), (&b["os_set_id"], &b["compose_hash"]));
    assert_eq!(view(count_workers, json!({})), json!(2));
    // Revoking the compose hash stops both at once.
    pass(json!({ "kind": "remove_compose_hash", "compose_hash": local_compose_hash() }));
    for key in [worker_key_bytes(), worker_b_key_bytes()] {
        as_worker(&key);
        assert_eq!(call(worker_heartbeat, "{}").unwrap_err(), "this worker's compose hash was revoked");
        let st = view(get_worker_status, json!({ "public_key": ed25519_string(&key) }));
        assert_eq!((st["status"].as_str(), st["reason"].as_str()), (Some("revoked"), Some("this worker's compose hash was revoked")));
    }
    assert_eq!(view(list_revoked_measurements, json!({}))[0]["workers_to_prune"], 2);
    let err = propose_as(COUNCIL[0], json!({ "kind": "add_compose_hash", "compose_hash": local_compose_hash() })).unwrap_err();
    assert_eq!(err, "compose hash was revoked and cannot be approved again");
    let out = prune(10);
    assert_eq!((out["revoked"].as_u64(), out["remaining_workers"].as_u64()), (Some(2), Some(0)));
    assert_indexes_consistent();
}

#[test]
fn the_app_compose_document_must_hash_to_the_compose_hash_event() {
    setup();
    approve_local();
    as_account("relayer.test.near");
    let edited = LOCAL_COMPOSE.replace("\"public_logs\":true", "\"public_logs\":false");
    assert_ne!(edited, LOCAL_COMPOSE);
    for doc in [edited.as_str(), "", "{}"] {
        let err = call(register_worker_key, &register_args_with(&worker_pk(), LOCAL_QUOTE, LOCAL_COLLATERAL, LOCAL_EVENTS, doc)).unwrap_err();
        assert_eq!(err, "app_compose does not match the compose-hash event (sha256 of the document differs)");
    }
    let mut args: Value = serde_json::from_str(&register_args(&worker_pk(), LOCAL_QUOTE, LOCAL_COLLATERAL, LOCAL_EVENTS)).unwrap();
    args.as_object_mut().unwrap().remove("app_compose");
    let err = call(register_worker_key, &args.to_string()).unwrap_err();
    assert!(err.starts_with("invalid arguments") && err.contains("app_compose"), "{}", err);
    assert_eq!(view(count_workers, json!({})), json!(0));
}

#[test]
fn tampered_events_are_refused_by_their_digest_or_by_the_replay() {
    setup();
    approve_local();
    let events: Value = serde_json::from_str(LOCAL_EVENTS).unwrap();
    let try_events = |ev: &Value| {
        as_account("relayer.test.near");
        call(register_worker_key, &register_args(&worker_pk(), LOCAL_QUOTE, LOCAL_COLLATERAL, &ev.to_string())).unwrap_err()
    };
    let digest_of = |e: &Value| {
        let p = hex::decode(e["event_payload"].as_str().unwrap()).unwrap();
        let mut b = 0x0800_0001u32.to_le_bytes().to_vec();
        b.extend_from_slice(b":");
        b.extend_from_slice(e["event"].as_str().unwrap().as_bytes());
        b.extend_from_slice(b":");
        b.extend_from_slice(&p);
        hex::encode(<sha2::Sha384 as sha2::Digest>::digest(&b))
    };
    // An honest digest logged with a swapped compose-hash payload: the digest check names the event.
    let mut ev = events.clone();
    ev[3]["digest"] = json!(digest_of(&ev[3]));
    ev[3]["event_payload"] = json!("00".repeat(32));
    assert_eq!(try_events(&ev), "event log: event 3 'compose-hash': digest does not match its type, name and payload");
    // The payload swapped with its digest left empty: the replay no longer gives the quote's RTMR3.
    let mut ev = events.clone();
    ev[3]["event_payload"] = json!("00".repeat(32));
    assert_eq!(try_events(&ev), "RTMR3 replay mismatch: the event log does not reproduce the quote's RTMR3");
    // instance-id is not approved, but it is measured: changing it breaks the replay too.
    let mut ev = events.clone();
    ev[4]["event_payload"] = json!("00".repeat(20));
    assert_eq!(try_events(&ev), "RTMR3 replay mismatch: the event log does not reproduce the quote's RTMR3");
    // A second compose-hash event, a compose-hash after boot-mr-done, a missing key-provider, a foreign event type.
    let mut ev = events.clone();
    ev.as_array_mut().unwrap().push(events[3].clone());
    assert_eq!(try_events(&ev), "event log: event 8: compose-hash must occur once, before boot-mr-done");
    let mut ev = events.clone();
    ev.as_array_mut().unwrap().retain(|e| e["event"] != "key-provider");
    assert_eq!(try_events(&ev), "event log: event log has no key-provider event");
    let mut ev = events.clone();
    ev[2]["event_type"] = json!(1);
    assert_eq!(try_events(&ev), "event log: event 2: RTMR3 events must be dstack runtime events (type 0x08000001)");
    let mut ev = events.clone();
    ev[2]["event_payload"] = json!("zz");
    assert_eq!(try_events(&ev), "event log: event 2 'app-id': payload is not hex");
    // The logged digests, when present and right, are accepted.
    let mut ev = events.clone();
    for e in ev.as_array_mut().unwrap().iter_mut().filter(|e| e["imr"] == 3) {
        let d = digest_of(e);
        e["digest"] = json!(d);
    }
    as_account("relayer.test.near");
    call(register_worker_key, &register_args(&worker_pk(), LOCAL_QUOTE, LOCAL_COLLATERAL, &ev.to_string())).unwrap();
}

#[test]
fn event_log_must_replay_to_rtmr3() {
    setup();
    approve_local();
    let mut events: Value = serde_json::from_str(LOCAL_EVENTS).unwrap();
    events[2]["event_payload"] = json!("ab".repeat(31));
    as_account("relayer.test.near");
    let err = call(register_worker_key, &register_args(&worker_pk(), LOCAL_QUOTE, LOCAL_COLLATERAL, &events.to_string())).unwrap_err();
    assert!(err.starts_with("RTMR3 replay mismatch"), "{}", err);
}

#[test]
fn expired_collateral_is_rejected() {
    setup();
    approve_local();
    with_state(|s| s.block_timestamp = 1_769_904_001 * 1_000_000_000); // after 2026-02-01
    let err = register_local().unwrap_err();
    assert_eq!(err, "quote verification failed: TCB info: expired");
}

#[test]
fn tampered_quote_is_rejected() {
    setup();
    approve_local();
    let mut q = LOCAL_QUOTE.to_vec();
    q[200] ^= 1; // inside MRTD
    as_account("relayer.test.near");
    let err = call(register_worker_key, &register_args(&worker_pk(), &q, LOCAL_COLLATERAL, LOCAL_EVENTS)).unwrap_err();
    assert_eq!(err, "quote verification failed: quote signature is invalid");
}

#[test]
fn tcb_status_must_be_accepted() {
    setup();
    approve_local();
    pass(json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["SWHardeningNeeded"] }));
    assert_eq!(register_local().unwrap_err(), "TCB status UpToDate (advisories []) is not accepted");
}

#[test]
fn tcb_policy_names_advisories_for_statuses_other_than_up_to_date() {
    let p = TcbPolicy { statuses: vec!["UpToDate".into(), "SWHardeningNeeded".into()], advisory_ids: vec!["INTEL-SA-00837".into()] };
    assert!(p.accepts("UpToDate", &[]));
    assert!(p.accepts("UpToDate", &["INTEL-SA-00615".into()]), "UpToDate is accepted whatever its advisories");
    assert!(p.accepts("SWHardeningNeeded", &["INTEL-SA-00837".into()]));
    assert!(p.accepts("SWHardeningNeeded", &[]));
    assert!(!p.accepts("SWHardeningNeeded", &["INTEL-SA-00837".into(), "INTEL-SA-00615".into()]), "every advisory must be named");
    assert!(!p.accepts("OutOfDate", &[]));
    setup();
    for bad in [json!(["INTEL-SA-"]), json!(["intel-sa-00837"]), json!(["INTEL-SA-0083x"]), json!(["X"])] {
        let err = propose_as(COUNCIL[0], json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["UpToDate"], "advisory_ids": bad })).unwrap_err();
        assert!(err.starts_with("invalid advisory id"), "{}", err);
    }
    let err = propose_as(COUNCIL[0], json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["UpToDate"], "grace_seconds": 400 * 24 * 3600 })).unwrap_err();
    assert_eq!(err, "grace_seconds must be at most 31536000");
    let err = propose_as(COUNCIL[0], json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["UpToDat"] })).unwrap_err();
    assert!(!err.is_empty());
}

#[test]
fn a_worker_whose_tcb_status_stops_being_accepted_keeps_working_until_the_grace_ends() {
    registered();
    let day = 24 * 3600 * 1_000_000_000u64;
    let st = view(get_worker_status, json!({ "public_key": worker_pk() }));
    assert_eq!((st["tcb_status"].as_str(), st["tcb"].as_str()), (Some("UpToDate"), Some("accepted")));
    assert_eq!(st["advisory_ids"], json!([]));
    // The council stops accepting UpToDate (as it would a status it learns is unsafe) with 3 days' grace.
    pass(json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["SWHardeningNeeded"], "advisory_ids": ["INTEL-SA-00837"], "grace_seconds": 3 * 24 * 3600 }));
    let now = with_state(|s| s.block_timestamp);
    let cfg = view(get_config, json!({}));
    assert_eq!(cfg["accepted_advisory_ids"], json!(["INTEL-SA-00837"]));
    assert_eq!(cfg["tcb_grace_until_ns"], now + 3 * day);
    let st = view(get_worker_status, json!({ "public_key": worker_pk() }));
    assert_eq!((st["status"].as_str(), st["tcb"].as_str()), (Some("registered"), Some("grace")));
    assert_eq!(st["tcb_grace_until_ns"], now + 3 * day);
    // New registrations follow the new policy at once; the running worker keeps working.
    assert!(register_local_b().unwrap_err().starts_with("TCB status UpToDate"));
    with_state(|s| s.block_timestamp += 3 * day);
    as_worker(&worker_key_bytes());
    call(request_master_secret, &json!({ "app_public_key": APP_KEY }).to_string()).unwrap();
    // One nanosecond past the grace it is refused everywhere, and prunable.
    with_state(|s| s.block_timestamp += 1);
    as_worker(&worker_key_bytes());
    assert_eq!(call(worker_heartbeat, "{}").unwrap_err(), "this worker's TCB status is no longer accepted");
    let st = view(get_worker_status, json!({ "public_key": worker_pk() }));
    assert_eq!((st["status"].as_str(), st["tcb"].as_str()), (Some("revoked"), Some("refused")));
    assert_eq!(view(get_worker, json!({ "public_key": worker_pk() }))["measurements_approved"], false);
    assert_eq!(prune(10)["expired"], 1);
}

#[test]
fn a_second_policy_change_ends_the_grace_of_the_first() {
    registered();
    pass(json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["SWHardeningNeeded"], "grace_seconds": 86400 }));
    assert_eq!(view(is_registered_worker, json!({ "public_key": worker_pk() })), json!(true));
    // The previous policy is now one that did not accept the worker either: no grace carries over.
    pass(json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["OutOfDate"], "grace_seconds": 86400 }));
    assert_eq!(view(is_registered_worker, json!({ "public_key": worker_pk() })), json!(false));
    // Accepting its status again brings it back (its OS set and compose hash were never revoked).
    pass(json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["UpToDate"] }));
    assert_eq!(view(is_registered_worker, json!({ "public_key": worker_pk() })), json!(true));
}

#[test]
fn superseded_collateral_is_refused_once_the_council_sets_a_minimum() {
    setup();
    approve_local();
    assert_eq!(view(get_config, json!({}))["min_tcb_evaluation_data_number"], 0);
    // The local collateral's TCB info and QE identity carry tcbEvaluationDataNumber 17.
    let p = propose_as(COUNCIL[0], json!({ "kind": "set_min_tcb_evaluation_data_number", "min_tcb_evaluation_data_number": 18 })).unwrap();
    vote_as(COUNCIL[1], p["id"].as_u64().unwrap()).unwrap();
    assert_eq!(view(get_config, json!({}))["min_tcb_evaluation_data_number"], 18);
    assert_eq!(
        register_local().unwrap_err(),
        "quote verification failed: TCB info: tcbEvaluationDataNumber 17 is below the required minimum 18 (superseded collateral)"
    );
    let p = propose_as(COUNCIL[0], json!({ "kind": "set_min_tcb_evaluation_data_number", "min_tcb_evaluation_data_number": 17 })).unwrap();
    vote_as(COUNCIL[1], p["id"].as_u64().unwrap()).unwrap();
    register_local().unwrap();
}

#[test]
fn init_takes_an_optional_minimum_evaluation_number() {
    before_init();
    let mut a = init_args(Some(LOCAL_ROOT));
    a["min_tcb_evaluation_data_number"] = json!(18);
    call(new, &a.to_string()).unwrap();
    assert_eq!(view(get_config, json!({}))["min_tcb_evaluation_data_number"], 18);
    approve_local();
    assert!(register_local().unwrap_err().contains("tcbEvaluationDataNumber 17 is below the required minimum 18"));
}

/// The forged-collateral fixtures (dcap/tests/vectors/forged, from the C# simulator PKI): a
/// quote with its event log, genuine collateral and collateral re-signed by the PCK leaf key.
fn forged_fixture_registration(collateral: &str) -> Result<Vec<u8>, String> {
    forged_fixture_setup();
    register_forged_fixture(collateral)
}

fn forged_expected() -> Value {
    serde_json::from_str(include_str!("../../dcap/tests/vectors/forged/expected.json")).unwrap()
}

fn forged_fixture_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    key.copy_from_slice(&hex::decode(forged_expected()["worker_public_key_hex"].as_str().unwrap()).unwrap());
    key
}

/// A DAO on the forged fixtures' PKI with their OS set and compose hash approved.
fn forged_fixture_setup() {
    let e = forged_expected();
    setup_with(Some(include_bytes!("../../dcap/tests/vectors/forged/root_ca.der")));
    with_state(|s| s.block_timestamp = e["verify_at"].as_u64().unwrap() * 1_000_000_000);
    pass(add_os(json!({ "mrtd": e["mrtd"], "rtmr0": e["rtmr0"], "rtmr1": e["rtmr1"], "rtmr2": e["rtmr2"], "key_provider_digest": e["key_provider_digest"] })));
    pass(json!({ "kind": "add_compose_hash", "compose_hash": e["compose_hash"] }));
}

fn register_forged_fixture(collateral: &str) -> Result<Vec<u8>, String> {
    let key = forged_fixture_key();
    as_account("relayer.test.near");
    let quote = include_bytes!("../../dcap/tests/vectors/forged/quote.bin");
    let events = include_str!("../../dcap/tests/vectors/forged/event_log.json");
    let compose = include_str!("../../dcap/tests/vectors/forged/app_compose.json");
    call(register_worker_key, &register_args_with(&ed25519_string(&key), quote, collateral, events, compose))
}

#[test]
fn raising_the_minimum_evaluation_number_refuses_workers_registered_with_older_collateral() {
    // Registered with collateral of tcbEvaluationDataNumber 16 (TCB info and QE identity), accepted then.
    forged_fixture_setup();
    register_forged_fixture(include_str!("../../dcap/tests/vectors/forged/collateral_older_evaluation_number.json")).unwrap();
    let key = forged_fixture_key();
    let pk = ed25519_string(&key);
    assert_eq!(view(get_worker, json!({ "public_key": pk }))["tcb_evaluation_data_number"], 16);
    // Intel's TCB recovery: the council raises the minimum to 17. What the worker proved rests on
    // the superseded evaluation, so it is refused from this block on, like a refused TCB status.
    pass(json!({ "kind": "set_min_tcb_evaluation_data_number", "min_tcb_evaluation_data_number": 17 }));
    let reason = "this worker's TCB evaluation data number is below the council's minimum";
    as_worker(&key);
    assert_eq!(call(request_master_secret, &json!({ "app_public_key": APP_KEY }).to_string()).unwrap_err(), reason);
    as_worker(&key);
    assert_eq!(call(worker_heartbeat, "{}").unwrap_err(), reason);
    assert_eq!(view(is_registered_worker, json!({ "public_key": pk })), json!(false));
    let st = view(get_worker_status, json!({ "public_key": pk }));
    assert_eq!((st["status"].as_str(), st["reason"].as_str()), (Some("revoked"), Some(reason)));
    assert_eq!(view(get_worker, json!({ "public_key": pk }))["measurements_approved"], false);
    assert_eq!(prune(10)["expired"], 1);
}

#[test]
fn re_registering_with_newer_collateral_refreshes_the_workers_evaluation_and_older_collateral_cannot_downgrade_it() {
    forged_fixture_setup();
    let older = include_str!("../../dcap/tests/vectors/forged/collateral_older_evaluation_number.json");
    let current = include_str!("../../dcap/tests/vectors/forged/collateral.json");
    register_forged_fixture(older).unwrap();
    let key = forged_fixture_key();
    let pk = ed25519_string(&key);
    // The same quote with the current collateral (anyone may send it): the record is re-evaluated
    // in place, no second access key is added, the worker is not marked seen.
    let seen = view(get_worker, json!({ "public_key": pk }))["last_seen_ns"].clone();
    with_state(|s| s.block_timestamp += 60_000_000_000);
    let w = json_of(register_forged_fixture(current));
    assert_eq!(w["tcb_evaluation_data_number"], 17);
    assert!(with_state(|s| s.promises.is_empty()));
    assert_eq!(view(count_workers, json!({})), json!(1));
    assert_eq!(view(get_worker, json!({ "public_key": pk }))["last_seen_ns"], seen);
    // Older collateral again changes nothing (a griefer cannot make a refreshed worker look superseded).
    assert_eq!(json_of(register_forged_fixture(older))["tcb_evaluation_data_number"], 17);
    assert_eq!(view(get_worker, json!({ "public_key": pk }))["tcb_evaluation_data_number"], 17);
    // So the council's raise leaves it working.
    pass(json!({ "kind": "set_min_tcb_evaluation_data_number", "min_tcb_evaluation_data_number": 17 }));
    as_worker(&key);
    call(worker_heartbeat, "{}").unwrap();
    assert_indexes_consistent();
}

#[test]
fn collateral_resigned_with_a_pck_leaf_key_registers_no_worker() {
    assert!(forged_fixture_registration(include_str!("../../dcap/tests/vectors/forged/collateral.json")).is_ok());
    let err = forged_fixture_registration(include_str!("../../dcap/tests/vectors/forged/collateral_signed_by_pck_leaf.json")).unwrap_err();
    assert!(err.starts_with("quote verification failed: TCB info issuer chain: signer is a PCK certificate"), "{}", err);
    assert_eq!(view(list_workers, json!({})), json!([]));
}

#[test]
fn intel_root_dao_rejects_the_local_pki() {
    setup_with(None);
    let err = register_local().unwrap_err();
    assert!(err.starts_with("quote verification failed: TCB info issuer chain"), "{}", err);
}

#[test]
fn real_intel_quote_passes_dcap_on_chain_and_fails_only_on_report_data() {
    // The dcap-qvl sample quote verifies against the embedded Intel root at 1752919234; its
    // report_data is not key || 0^32, so registration must stop exactly at the binding check.
    setup_with(None);
    with_state(|s| s.block_timestamp = 1_752_919_234 * 1_000_000_000);
    let mut key = [0u8; 32];
    key.copy_from_slice(&INTEL_QUOTE[568..600]);
    as_account("relayer.test.near");
    let err = call(register_worker_key, &register_args(&ed25519_string(&key), INTEL_QUOTE, INTEL_COLLATERAL, "[]")).unwrap_err();
    assert!(err.starts_with("report_data does not bind public_key"), "{}", err);
    // And a flipped byte in the same quote fails DCAP instead.
    let mut q = INTEL_QUOTE.to_vec();
    q[570] ^= 1;
    let err = call(register_worker_key, &register_args(&ed25519_string(&key), &q, INTEL_COLLATERAL, "[]")).unwrap_err();
    assert!(err.starts_with("quote verification failed"), "{}", err);
}

#[test]
fn malformed_public_key_is_rejected() {
    setup();
    as_account("relayer.test.near");
    let err = call(register_worker_key, &register_args("secp256k1:abc", LOCAL_QUOTE, LOCAL_COLLATERAL, LOCAL_EVENTS)).unwrap_err();
    assert!(err.contains("ed25519"), "{}", err);
}

#[test]
fn removing_the_os_measurements_refuses_the_workers_at_once_and_pruning_deletes_their_keys() {
    setup();
    approve_local();
    register_local().unwrap();
    let p = propose_as(COUNCIL[0], remove_os(local_os())).unwrap();
    vote_as(COUNCIL[1], p["id"].as_u64().unwrap()).unwrap();
    // The vote deletes nothing itself: the worker is refused from now on, its key goes when pruned.
    assert!(with_state(|s| s.promises.is_empty()));
    assert_eq!(view(is_registered_worker, json!({ "public_key": worker_pk() })), json!(false));
    assert_eq!(view(get_worker, json!({ "public_key": worker_pk() }))["measurements_approved"], false);
    assert_eq!(view(list_os_measurements, json!({})), json!([]));
    assert_eq!(view(list_compose_hashes, json!({})), json!([local_compose_hash()]));

    as_account("anyone.test.near");
    call(prune_workers, "{}").unwrap();
    let promises = with_state(|s| s.promises.clone());
    assert_eq!(promises.len(), 1);
    assert_eq!(promises[0].receiver_id, DAO);
    assert_eq!(promises[0].actions, vec![MockAction::DeleteKey { public_key: ed25519_borsh(&worker_key_bytes()) }]);
    assert_eq!(view(is_registered_worker, json!({ "public_key": worker_pk() })), json!(false));
    assert!(view(get_worker, json!({ "public_key": worker_pk() })).is_null());
}

// ---------------------------------------------------------------- revocation at scale, pruning

fn other_os() -> Value {
    let mut m = local_os();
    m["mrtd"] = json!("00".repeat(48));
    m
}

fn os_set_id(m: &Value) -> String {
    serde_json::from_value::<OsMeasurement>(m.clone()).unwrap().set_id()
}

fn key_of(i: u64) -> [u8; 32] {
    sha256(&i.to_le_bytes())
}

/// Stores `n` workers of OS set `m` and the local compose hash through the contract's own index
/// code (registering each with a DCAP-verified quote is what the end-to-end tests do; here only the
/// bookkeeping matters).
fn seed_workers(m: &Value, from: u64, n: u64, last_seen_ns: u64) {
    let os: OsMeasurement = serde_json::from_value(m.clone()).unwrap();
    let e = expected();
    let record: Measurements = serde_json::from_value(json!({ "mrtd": os.mrtd, "rtmr0": os.rtmr0, "rtmr1": os.rtmr1, "rtmr2": os.rtmr2, "rtmr3": e["rtmr3"] })).unwrap();
    let compose = local_compose_hash();
    mock::call_with(
        || {
            for i in from..from + n {
                insert_worker(Worker {
                    public_key: ed25519_string(&key_of(i)),
                    measurements: record.clone(),
                    os_set_id: os.set_id(),
                    os_measurement: os.clone(),
                    compose_hash: compose.clone(),
                    instance_id: hex::encode(key_of(i)),
                    tcb_status: "UpToDate".into(),
                    advisory_ids: vec![],
                    tcb_evaluation_data_number: 17,
                    registered_at: 1,
                    registered_at_ns: last_seen_ns,
                    last_seen_ns,
                    index: 0,
                    os_index: 0,
                    compose_index: 0,
                });
            }
        },
        "{}",
    )
    .unwrap();
}

fn revoke(m: Value) -> Result<Vec<u8>, String> {
    let p = propose_as(COUNCIL[0], remove_os(m)).unwrap();
    as_account(COUNCIL[1]);
    call(vote, &json!({ "proposal_id": p["id"] }).to_string())
}

fn prune(limit: u64) -> Value {
    as_account("anyone.test.near");
    json_of(call(prune_workers, &json!({ "limit": limit }).to_string()))
}

fn deleted_keys() -> Vec<Vec<u8>> {
    with_state(|s| {
        s.promises
            .iter()
            .flat_map(|p| p.actions.iter())
            .filter_map(|a| match a {
                MockAction::DeleteKey { public_key } => Some(public_key.clone()),
                _ => None,
            })
            .collect()
    })
}

/// Every worker sits at the index slots its record names, in all three indexes, and the counts match.
fn assert_indexes_consistent() {
    mock::call_with(
        || {
            let n = worker_count();
            let mut per_set = std::collections::BTreeMap::new();
            for i in 0..n {
                let w = load_worker(&worker_at(i).unwrap()).unwrap();
                assert_eq!(w.index, i);
                for (set, at) in [(w.os_set_id.clone(), w.os_index), (w.compose_set_id(), w.compose_index)] {
                    *per_set.entry(set.clone()).or_insert(0u64) += 1;
                    let slot: String = storage_get_json(format!("si:{}:{}", set, at).as_bytes()).unwrap();
                    assert_eq!(slot, w.public_key);
                }
            }
            for (set, count) in per_set {
                assert_eq!(set_worker_count(&set), count);
            }
            assert!(worker_at(n).is_none());
        },
        "{}",
    )
    .unwrap();
}

#[test]
fn revocation_costs_the_same_for_any_number_of_workers_one_log_line_no_per_worker_work() {
    setup();
    approve_local();
    register_local().unwrap();
    seed_workers(&local_os(), 0, 300, 1);
    let before = with_state(|s| s.storage.clone());
    revoke(local_os()).unwrap();
    // No access-key deletion, no per-worker log (NEAR allows 100 logs a receipt), no worker record touched.
    assert!(with_state(|s| s.promises.is_empty()));
    let logs = with_state(|s| s.logs.clone());
    assert_eq!(logs.len(), 2, "{:?}", logs);
    let set_id = os_set_id(&local_os());
    assert_eq!(logs[0], format!("OS measurements {} revoked: 301 workers refused from now on, to be pruned", set_id));
    let after = with_state(|s| s.storage.clone());
    let changed: Vec<String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
        .collect();
    assert_eq!(changed, vec!["next_pid", "os", "p:2", "po:alice.test.near", "revoked"]);
    let revoked = view(list_revoked_measurements, json!({}));
    assert_eq!(revoked[0]["set_id"], json!(set_id));
    assert_eq!(revoked[0]["workers_to_prune"], 301);
}

#[test]
fn a_worker_of_a_revoked_set_can_neither_get_the_master_secret_nor_publish_a_binding() {
    registered();
    revoke(local_os()).unwrap();
    as_worker(&worker_key_bytes());
    let err = call(request_master_secret, &json!({ "app_public_key": APP_KEY }).to_string()).unwrap_err();
    assert_eq!(err, "this worker's OS measurements were revoked");
    assert!(with_state(|s| s.promises.is_empty()));
    assert_eq!(call(register_binding, &binding_args()).unwrap_err(), "this worker's OS measurements were revoked");
    assert_eq!(call(worker_heartbeat, "{}").unwrap_err(), "this worker's OS measurements were revoked");
    assert_eq!(view(get_worker_status, json!({ "public_key": worker_pk() }))["status"], "revoked");
    assert_eq!(view(get_worker_status, json!({ "public_key": ed25519_string(&[5u8; 32]) })), json!({ "status": "unknown" }));
}

#[test]
fn revoking_a_compose_hash_prunes_only_its_own_workers_even_when_another_shares_its_first_bytes() {
    // Two approved compose documents whose sha256 agree in their first 8 bytes (2^32 work to find).
    registered();
    let a = local_compose_hash();
    let b = format!("{}{}", &a[..16], if &a[16..18] == "ff" { "00" } else { "ff" }.repeat(24));
    pass(json!({ "kind": "add_compose_hash", "compose_hash": b }));
    pass(json!({ "kind": "remove_compose_hash", "compose_hash": b }));
    // A's worker is still served, and pruning B's (none) must leave it alone.
    assert_eq!(view(is_registered_worker, json!({ "public_key": worker_pk() })), json!(true));
    let out = prune(10);
    assert_eq!(out["pruned"], 0, "{}", out);
    assert_eq!(view(count_workers, json!({})), json!(1));
    assert!(deleted_keys().is_empty());
    assert_eq!(view(list_revoked_measurements, json!({}))[0]["workers_to_prune"], 0);
}

#[test]
fn revoked_measurements_cannot_be_approved_again() {
    registered();
    revoke(local_os()).unwrap();
    let err = propose_as(COUNCIL[0], add_os(local_os())).unwrap_err();
    assert_eq!(err, "OS measurements were revoked and cannot be approved again");
    assert_eq!(register_local().unwrap_err(), format!("OS measurements {} are not approved", os_set_id(&local_os())));
}

#[test]
fn worker_status_and_seen_time_follow_the_workers_calls() {
    registered();
    let status = view(get_worker_status, json!({ "public_key": worker_pk() }));
    assert_eq!(status["status"], "registered");
    let registered_at = status["last_seen_ns"].as_u64().unwrap();
    with_state(|s| s.block_timestamp += 1_000);
    as_worker(&worker_key_bytes());
    call(request_master_secret, &json!({ "app_public_key": APP_KEY }).to_string()).unwrap();
    assert_eq!(view(get_worker_status, json!({ "public_key": worker_pk() }))["last_seen_ns"], registered_at + 1_000);
    with_state(|s| s.block_timestamp += 1_000);
    as_worker(&worker_key_bytes());
    call(register_binding, &binding_args()).unwrap();
    assert_eq!(view(get_worker_status, json!({ "public_key": worker_pk() }))["last_seen_ns"], registered_at + 2_000);
    // A refused call does not count as seen.
    with_state(|s| s.block_timestamp += 1_000);
    as_worker(&worker_key_bytes());
    call(request_master_secret, &json!({ "app_public_key": "nope" }).to_string()).unwrap_err();
    assert_eq!(view(get_worker_status, json!({ "public_key": worker_pk() }))["last_seen_ns"], registered_at + 2_000);
    // A heartbeat marks the worker seen and moves its idle deadline; it needs the worker's own key.
    with_state(|s| s.block_timestamp += 5_000);
    as_worker(&worker_key_bytes());
    assert_eq!(json_of(call(worker_heartbeat, "{}")), json!(registered_at + 8_000));
    let status = view(get_worker_status, json!({ "public_key": worker_pk() }));
    assert_eq!(status["last_seen_ns"], registered_at + 8_000);
    assert_eq!(status["idle_deadline_ns"], registered_at + 8_000 + 2_592_000 * 1_000_000_000);
    as_worker(&[3u8; 32]);
    assert_eq!(call(worker_heartbeat, "{}").unwrap_err(), "signer key is not a registered worker");
    let err = call(get_worker_status, &json!({ "public_key": "ed25519:xyz" }).to_string()).unwrap_err();
    assert!(err.contains("ed25519"), "{}", err);
}

#[test]
fn prune_workers_pages_through_a_revoked_set_with_a_capped_limit_and_frees_its_storage() {
    setup();
    approve_local();
    pass(add_os(other_os()));
    seed_workers(&local_os(), 0, 250, 1);
    seed_workers(&other_os(), 1000, 30, u64::MAX / 2);
    seed_workers(&local_os(), 250, 5, 1);
    assert_eq!(view(count_workers, json!({})), json!(285));
    revoke(local_os()).unwrap();

    // Nothing stale among the survivors: only the revoked set is pruned (its 255 workers).
    let mut total = 0;
    let mut pages = 0;
    let mut deleted = Vec::new();
    loop {
        let usage_before = storage_usage();
        let out = prune(1_000_000);
        let logs = with_state(|s| s.logs.clone());
        assert_eq!(logs.len(), 1, "one summary line per page: {:?}", logs);
        assert!(out["pruned"].as_u64().unwrap() <= 100, "the limit is capped at 100: {}", out);
        assert_eq!(out["freed_bytes"].as_u64().unwrap(), usage_before - storage_usage());
        deleted.extend(deleted_keys());
        assert_eq!(deleted_keys().len() as u64, out["pruned"].as_u64().unwrap());
        total += out["pruned"].as_u64().unwrap();
        pages += 1;
        assert_indexes_consistent();
        if !out["more"].as_bool().unwrap() {
            assert_eq!(out["revoked"], 55);
            assert_eq!(out["remaining_workers"], 30);
            assert!(logs[0].starts_with("pruned 55 workers (55 of revoked sets, 0 refused or idle past 2592000 s), freed "), "{}", logs[0]);
            assert!(logs[0].ends_with("bytes; done"), "{}", logs[0]);
            break;
        }
        assert!(pages < 10);
    }
    assert_eq!((total, pages), (255, 3));
    deleted.sort();
    deleted.dedup();
    assert_eq!(deleted.len(), 255);
    assert!(deleted.contains(&ed25519_borsh(&key_of(0))) && deleted.contains(&ed25519_borsh(&key_of(254))));
    assert_eq!(view(count_workers, json!({})), json!(30));
    assert_eq!(view(list_revoked_measurements, json!({}))[0]["workers_to_prune"], 0);
    assert!(view(get_worker, json!({ "public_key": ed25519_string(&key_of(7)) })).is_null());
    let listed = view(list_workers, json!({ "limit": 100 }));
    assert_eq!(listed.as_array().unwrap().len(), 30);
    assert!(listed.as_array().unwrap().iter().all(|w| w["measurements_approved"] == true));
    // No trace of the pruned workers is left in storage.
    let set_id = os_set_id(&local_os());
    with_state(|s| {
        assert!(!s.storage.keys().any(|k| k.starts_with(format!("si:{}:", set_id).as_bytes()) || k == format!("sn:{}", set_id).as_bytes()));
    });
    // Nothing left to do: a further sweep prunes nothing and deletes no key.
    let out = prune(100);
    assert_eq!((out["pruned"].as_u64(), out["more"].as_bool()), (Some(0), Some(false)));
    assert!(deleted_keys().is_empty());
}

#[test]
fn prune_workers_limit_bounds_each_page() {
    setup();
    approve_local();
    seed_workers(&local_os(), 0, 20, 1);
    revoke(local_os()).unwrap();
    let out = prune(7);
    assert_eq!((out["pruned"].as_u64(), out["more"].as_bool(), out["remaining_workers"].as_u64()), (Some(7), Some(true), Some(13)));
    assert_eq!(deleted_keys().len(), 7);
    let out = prune(0); // at least one per call
    assert_eq!(out["pruned"], 1);
    assert_indexes_consistent();
}

#[test]
fn prune_workers_removes_workers_idle_past_the_ttl_and_keeps_active_ones() {
    registered();
    let now = with_state(|s| s.block_timestamp);
    let day = 24 * 3600 * 1_000_000_000u64;
    seed_workers(&local_os(), 0, 40, now - 40 * day); // idle 40 days
    seed_workers(&local_os(), 100, 10, now - day); // seen yesterday
    pass(json!({ "kind": "set_worker_ttl", "worker_ttl_seconds": 10 * 24 * 3600 }));
    assert_eq!(view(get_config, json!({}))["worker_ttl_seconds"], 864000);

    let mut pruned = 0;
    let mut pages = 0;
    loop {
        let out = prune(15);
        assert!(out["examined"].as_u64().unwrap() <= 15);
        assert_eq!(out["revoked"], 0);
        pruned += out["expired"].as_u64().unwrap();
        pages += 1;
        assert_indexes_consistent();
        if !out["more"].as_bool().unwrap() {
            break;
        }
        assert!(pages < 20);
    }
    assert_eq!(pruned, 40);
    assert_eq!(view(count_workers, json!({})), json!(11));
    assert_eq!(view(is_registered_worker, json!({ "public_key": worker_pk() })), json!(true));
    assert_eq!(view(is_registered_worker, json!({ "public_key": ed25519_string(&key_of(105)) })), json!(true));
    assert!(view(get_worker, json!({ "public_key": ed25519_string(&key_of(3)) })).is_null());

    // Eleven days later only the worker that keeps asking for the master secret is left.
    with_state(|s| s.block_timestamp += 11 * day);
    as_worker(&worker_key_bytes());
    call(request_master_secret, &json!({ "app_public_key": APP_KEY }).to_string()).unwrap();
    let out = prune(100);
    assert_eq!((out["expired"].as_u64(), out["more"].as_bool()), (Some(10), Some(false)));
    assert_eq!(view(count_workers, json!({})), json!(1));
    assert_eq!(view(get_worker_status, json!({ "public_key": worker_pk() }))["status"], "registered");
}

#[test]
fn worker_ttl_is_validated_at_init_and_by_proposal() {
    mock::reset();
    with_state(|s| {
        s.current_account_id = DAO.into();
        s.predecessor_account_id = DAO.into();
    });
    let mut bad = init_args(None);
    bad["worker_ttl_seconds"] = json!(59);
    assert_eq!(call(new, &bad.to_string()).unwrap_err(), "worker_ttl_seconds must be at least 3600");
    call(new, &init_args(None).to_string()).unwrap();
    assert_eq!(view(get_config, json!({}))["worker_ttl_seconds"], 2592000);
    let err = propose_as(COUNCIL[0], json!({ "kind": "set_worker_ttl", "worker_ttl_seconds": 0 })).unwrap_err();
    assert_eq!(err, "worker_ttl_seconds must be at least 3600");
}

// ---------------------------------------------------------------- worker methods

const APP_KEY: &str = "bls12381g1:6KtVVcAAGacrjNGePN8bp3KV6fYGrw1rFsyc7cVJCqR16Zc2ZFg3HX3hSZxSfv1oH6";

fn registered() {
    setup();
    approve_local();
    register_local().unwrap();
}

#[test]
fn master_secret_request_goes_to_mpc_with_one_yocto() {
    registered();
    as_worker(&worker_key_bytes());
    call(request_master_secret, &json!({ "app_public_key": APP_KEY }).to_string()).unwrap();
    let calls = mock::function_calls();
    assert_eq!(calls[0].0, MPC);
    assert_eq!(calls[0].1, "request_app_private_key");
    assert_eq!(calls[0].2, json!({ "request": { "derivation_path": "keystore", "app_public_key": APP_KEY, "domain_id": 2 } }));
    assert_eq!(calls[0].3, 1);
    assert!(calls[0].4 >= 15 * TGAS);
    assert_eq!((calls[1].0.as_str(), calls[1].1.as_str()), (DAO, "on_master_secret"));
    assert_eq!(with_state(|s| s.returned_promise), Some(1));
}

#[test]
fn master_secret_only_for_registered_workers() {
    registered();
    as_worker(&[1u8; 32]);
    let err = call(request_master_secret, &json!({ "app_public_key": APP_KEY }).to_string()).unwrap_err();
    assert_eq!(err, "signer key is not a registered worker");
    // The worker key used from another account (not through the DAO's access key) is refused.
    with_state(|s| {
        s.signer_account_pk = ed25519_borsh(&worker_key_bytes());
        s.predecessor_account_id = "elsewhere.test.near".into();
    });
    let err = call(request_master_secret, &json!({ "app_public_key": APP_KEY }).to_string()).unwrap_err();
    assert!(err.starts_with("worker methods must be called"), "{}", err);
    as_worker(&worker_key_bytes());
    let err = call(request_master_secret, &json!({ "app_public_key": "ed25519:abc" }).to_string()).unwrap_err();
    assert!(err.contains("bls12381g1"), "{}", err);
    with_state(|s| s.prepaid_gas = 30 * TGAS);
    let err = call(request_master_secret, &json!({ "app_public_key": APP_KEY }).to_string()).unwrap_err();
    assert!(err.starts_with("attach at least"), "{}", err);
}

#[test]
fn on_master_secret_returns_the_mpc_answer_or_fails_clearly() {
    registered();
    let answer = json!({ "big_y": "bls12381g1:abc", "big_c": "bls12381g1:def" });
    with_state(|s| {
        s.predecessor_account_id = DAO.into();
        s.promise_results = vec![PromiseResult::Successful(answer.to_string().into_bytes())];
    });
    assert_eq!(json_of(call(on_master_secret, "{}")), answer);
    with_state(|s| s.promise_results = vec![PromiseResult::Failed]);
    assert_eq!(call(on_master_secret, "{}").unwrap_err(), "MPC request_app_private_key failed");
    with_state(|s| s.promise_results = vec![PromiseResult::Successful(b"{\"x\":1}".to_vec())]);
    assert!(call(on_master_secret, "{}").unwrap_err().starts_with("MPC returned an unexpected response"));
    with_state(|s| s.predecessor_account_id = "mallory.test.near".into());
    assert_eq!(call(on_master_secret, "{}").unwrap_err(), "callback is private");
}

fn binding_args() -> String {
    json!({ "account_id": "user.test.near", "chain": "solana", "index": 0,
            "public_key": "ed25519:11111111111111111111111111111111", "address": "11111111111111111111111111111111" })
    .to_string()
}

#[test]
fn register_binding_forwards_to_chain_keys_with_storage_deposit() {
    registered();
    as_worker(&worker_key_bytes());
    call(register_binding, &binding_args()).unwrap();
    let calls = mock::function_calls();
    assert_eq!((calls[0].0.as_str(), calls[0].1.as_str()), (KEYS, "register_tee_key"));
    assert_eq!(calls[0].2, serde_json::from_str::<Value>(&binding_args()).unwrap());
    assert_eq!(calls[0].3, ONE_NEAR / 50);
    assert_eq!((calls[1].0.as_str(), calls[1].1.as_str()), (DAO, "on_binding_registered"));

    as_worker(&[2u8; 32]);
    assert_eq!(call(register_binding, &binding_args()).unwrap_err(), "signer key is not a registered worker");
}

#[test]
fn on_binding_registered_surfaces_rejections() {
    registered();
    with_state(|s| {
        s.predecessor_account_id = DAO.into();
        s.promise_results = vec![PromiseResult::Successful(br#"{"ok":true,"binding":{"chain":"solana"},"storage_cost":"1"}"#.to_vec())];
    });
    assert_eq!(json_of(call(on_binding_registered, "{}")), json!({ "chain": "solana" }));
    with_state(|s| s.promise_results = vec![PromiseResult::Successful(br#"{"ok":false,"error":"signer key is not a registered worker","storage_cost":"0"}"#.to_vec())]);
    assert_eq!(call(on_binding_registered, "{}").unwrap_err(), "chain-keys rejected the binding: signer key is not a registered worker");
    with_state(|s| s.promise_results = vec![PromiseResult::Failed]);
    assert_eq!(call(on_binding_registered, "{}").unwrap_err(), "chain-keys register_tee_key failed");
}

#[test]
fn register_binding_needs_a_chain_keys_contract() {
    before_init();
    let mut a = init_args(Some(LOCAL_ROOT));
    a.as_object_mut().unwrap().remove("chain_keys_contract_id");
    call(new, &a.to_string()).unwrap();
    approve_local();
    register_local().unwrap();
    as_worker(&worker_key_bytes());
    assert_eq!(call(register_binding, &binding_args()).unwrap_err(), "chain_keys_contract_id is not configured");
}

#[test]
fn audit_heads_are_anchored_by_workers_only_and_never_go_back() {
    setup();
    registered();
    let h = |c: char| c.to_string().repeat(64);
    assert_eq!(view(get_audit_anchor, json!({})), json!(null));
    as_account("mallory.test.near");
    let err = call(anchor_audit_head, &json!({ "sequence": 1, "hash": h('a') }).to_string()).unwrap_err();
    assert_eq!(err, "worker methods must be called with a worker access key of this account");
    as_worker(&[3u8; 32]);
    assert_eq!(call(anchor_audit_head, &json!({ "sequence": 1, "hash": h('a') }).to_string()).unwrap_err(), "signer key is not a registered worker");
    as_worker(&worker_key_bytes());
    let anchored = json_of(call(anchor_audit_head, &json!({ "sequence": 5, "hash": h('a') }).to_string()));
    assert_eq!(anchored["sequence"], 5);
    assert_eq!(anchored["worker"], worker_pk());
    as_worker(&worker_key_bytes());
    assert_eq!(
        call(anchor_audit_head, &json!({ "sequence": 4, "hash": h('b') }).to_string()).unwrap_err(),
        "audit sequence must grow: 5 is anchored, 4 is older"
    );
    as_worker(&worker_key_bytes());
    assert_eq!(
        call(anchor_audit_head, &json!({ "sequence": 5, "hash": h('b') }).to_string()).unwrap_err(),
        "this audit sequence is anchored with another hash"
    );
    as_worker(&worker_key_bytes());
    assert_eq!(
        call(anchor_audit_head, &json!({ "sequence": 6, "hash": "ABC" }).to_string()).unwrap_err(),
        "hash must be 64 lowercase hex characters"
    );
    as_worker(&worker_key_bytes());
    call(anchor_audit_head, &json!({ "sequence": 5, "hash": h('a') }).to_string()).unwrap();
    as_worker(&worker_key_bytes());
    call(anchor_audit_head, &json!({ "sequence": 9, "hash": h('c') }).to_string()).unwrap();
    let got = view(get_audit_anchor, json!({}));
    assert_eq!(got["sequence"], 9);
    assert_eq!(got["hash"], h('c'));
}
