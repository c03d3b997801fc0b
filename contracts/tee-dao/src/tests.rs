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
const INTEL_QUOTE: &[u8] = include_bytes!("../../dcap/tests/vectors/dcap_qvl_tdx_quote.bin");
const INTEL_COLLATERAL: &str = include_str!("../../dcap/tests/vectors/dcap_qvl_tdx_quote_collateral.json");

fn expected() -> Value {
    serde_json::from_str(LOCAL_EXPECTED).unwrap()
}

fn local_measurements() -> Value {
    let e = expected();
    json!({ "mrtd": e["mrtd"], "rtmr0": e["rtmr0"], "rtmr1": e["rtmr1"], "rtmr2": e["rtmr2"], "rtmr3": e["rtmr3"] })
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

fn approve(m: Value) {
    let p = propose_as(COUNCIL[0], json!({ "kind": "approve_measurements", "measurements": m })).unwrap();
    let p = vote_as(COUNCIL[1], p["id"].as_u64().unwrap()).unwrap();
    assert_eq!(p["status"], "executed");
}

fn register_args(pk: &str, quote: &[u8], collateral: &str, events: &str) -> String {
    json!({
        "public_key": pk,
        "quote_hex": hex::encode(quote),
        "collateral": serde_json::from_str::<Value>(collateral).unwrap(),
        "event_log": serde_json::from_str::<Value>(events).unwrap(),
    })
    .to_string()
}

fn register_local() -> Result<Vec<u8>, String> {
    as_account("relayer.test.near");
    call(register_worker_key, &register_args(&worker_pk(), LOCAL_QUOTE, LOCAL_COLLATERAL, LOCAL_EVENTS))
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
fn measurements_need_threshold_votes() {
    setup();
    let p = propose_as(COUNCIL[0], json!({ "kind": "approve_measurements", "measurements": local_measurements() })).unwrap();
    assert_eq!(p["status"], "open");
    assert_eq!(p["votes"], json!([COUNCIL[0]]));
    assert_eq!(view(list_measurements, json!({})), json!([]));
    let p = vote_as(COUNCIL[2], 0).unwrap();
    assert_eq!(p["status"], "executed");
    assert_eq!(view(list_measurements, json!({})), json!([local_measurements()]));
    assert_eq!(vote_as(COUNCIL[1], 0).unwrap_err(), "proposal is not open");
    assert_eq!(view(get_proposal, json!({ "proposal_id": 0 }))["status"], "executed");
    assert_eq!(view(list_proposals, json!({})).as_array().unwrap().len(), 1);
    propose_as(COUNCIL[0], json!({ "kind": "set_threshold", "threshold": 3 })).unwrap();
    propose_as(COUNCIL[0], json!({ "kind": "set_threshold", "threshold": 1 })).unwrap();
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
    let mut m = local_measurements();
    m["mrtd"] = json!("A1".repeat(48));
    let err = propose_as(COUNCIL[0], json!({ "kind": "approve_measurements", "measurements": m })).unwrap_err();
    assert_eq!(err, "mrtd must be 48 bytes of lowercase hex");
    let err = propose_as(COUNCIL[0], json!({ "kind": "revoke_measurements", "measurements": local_measurements() })).unwrap_err();
    assert_eq!(err, "measurements are not approved");
    let err = propose_as(COUNCIL[0], json!({ "kind": "set_threshold", "threshold": 0 })).unwrap_err();
    assert!(err.contains("threshold"));
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
    approve(local_measurements());
    let w = json_of(register_local());
    assert_eq!(w["public_key"], worker_pk());
    assert_eq!(w["tcb_status"], "UpToDate");
    assert_eq!(w["measurements"], local_measurements());
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
    approve(local_measurements());
    let other = ed25519_string(&[9u8; 32]);
    as_account("relayer.test.near");
    let err = call(register_worker_key, &register_args(&other, LOCAL_QUOTE, LOCAL_COLLATERAL, LOCAL_EVENTS)).unwrap_err();
    assert!(err.starts_with("report_data does not bind public_key"), "{}", err);
    assert_eq!(view(is_registered_worker, json!({ "public_key": other })), json!(false));
}

#[test]
fn unapproved_measurements_are_rejected() {
    setup();
    assert_eq!(register_local().unwrap_err(), "measurements not approved");
}

#[test]
fn event_log_must_replay_to_rtmr3() {
    setup();
    approve(local_measurements());
    let mut events: Value = serde_json::from_str(LOCAL_EVENTS).unwrap();
    events[2]["event_payload"] = json!("ab".repeat(31));
    as_account("relayer.test.near");
    let err = call(register_worker_key, &register_args(&worker_pk(), LOCAL_QUOTE, LOCAL_COLLATERAL, &events.to_string())).unwrap_err();
    assert!(err.starts_with("RTMR3 replay mismatch"), "{}", err);
}

#[test]
fn expired_collateral_is_rejected() {
    setup();
    approve(local_measurements());
    with_state(|s| s.block_timestamp = 1_769_904_001 * 1_000_000_000); // after 2026-02-01
    let err = register_local().unwrap_err();
    assert_eq!(err, "quote verification failed: TCB info: expired");
}

#[test]
fn tampered_quote_is_rejected() {
    setup();
    approve(local_measurements());
    let mut q = LOCAL_QUOTE.to_vec();
    q[200] ^= 1; // inside MRTD
    as_account("relayer.test.near");
    let err = call(register_worker_key, &register_args(&worker_pk(), &q, LOCAL_COLLATERAL, LOCAL_EVENTS)).unwrap_err();
    assert_eq!(err, "quote verification failed: quote signature is invalid");
}

#[test]
fn tcb_status_must_be_accepted() {
    setup();
    approve(local_measurements());
    propose_as(COUNCIL[0], json!({ "kind": "set_accepted_tcb_statuses", "statuses": ["SWHardeningNeeded"] })).unwrap();
    vote_as(COUNCIL[1], 1).unwrap();
    assert_eq!(register_local().unwrap_err(), "TCB status UpToDate is not accepted");
}

#[test]
fn superseded_collateral_is_refused_once_the_council_sets_a_minimum() {
    setup();
    approve(local_measurements());
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
    approve(local_measurements());
    assert!(register_local().unwrap_err().contains("tcbEvaluationDataNumber 17 is below the required minimum 18"));
}

/// The forged-collateral fixtures (dcap/tests/vectors/forged, from the C# simulator PKI): a
/// quote with its event log, genuine collateral and collateral re-signed by the PCK leaf key.
fn forged_fixture_registration(collateral: &str) -> Result<Vec<u8>, String> {
    let e: Value = serde_json::from_str(include_str!("../../dcap/tests/vectors/forged/expected.json")).unwrap();
    setup_with(Some(include_bytes!("../../dcap/tests/vectors/forged/root_ca.der")));
    with_state(|s| s.block_timestamp = e["verify_at"].as_u64().unwrap() * 1_000_000_000);
    approve(json!({ "mrtd": e["mrtd"], "rtmr0": e["rtmr0"], "rtmr1": e["rtmr1"], "rtmr2": e["rtmr2"], "rtmr3": e["rtmr3"] }));
    let mut key = [0u8; 32];
    key.copy_from_slice(&hex::decode(e["worker_public_key_hex"].as_str().unwrap()).unwrap());
    as_account("relayer.test.near");
    let quote = include_bytes!("../../dcap/tests/vectors/forged/quote.bin");
    let events = include_str!("../../dcap/tests/vectors/forged/event_log.json");
    call(register_worker_key, &register_args(&ed25519_string(&key), quote, collateral, events))
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
fn revoking_measurements_refuses_the_workers_at_once_and_pruning_deletes_their_keys() {
    setup();
    approve(local_measurements());
    register_local().unwrap();
    let p = propose_as(COUNCIL[0], json!({ "kind": "revoke_measurements", "measurements": local_measurements() })).unwrap();
    vote_as(COUNCIL[1], p["id"].as_u64().unwrap()).unwrap();
    // The vote deletes nothing itself: the worker is refused from now on, its key goes when pruned.
    assert!(with_state(|s| s.promises.is_empty()));
    assert_eq!(view(is_registered_worker, json!({ "public_key": worker_pk() })), json!(false));
    assert_eq!(view(get_worker, json!({ "public_key": worker_pk() }))["measurements_approved"], false);
    assert_eq!(view(list_measurements, json!({})), json!([]));

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

fn other_measurements() -> Value {
    let mut m = local_measurements();
    m["mrtd"] = json!("00".repeat(48));
    m
}

fn key_of(i: u64) -> [u8; 32] {
    sha256(&i.to_le_bytes())
}

/// Stores `n` workers of set `m` through the contract's own index code (registering each with a
/// DCAP-verified quote is what the end-to-end tests do; here only the bookkeeping matters).
fn seed_workers(m: &Value, from: u64, n: u64, last_seen_ns: u64) {
    let m: Measurements = serde_json::from_value(m.clone()).unwrap();
    mock::call_with(
        || {
            for i in from..from + n {
                insert_worker(Worker {
                    public_key: ed25519_string(&key_of(i)),
                    measurements: m.clone(),
                    tcb_status: "UpToDate".into(),
                    advisory_ids: vec![],
                    registered_at: 1,
                    registered_at_ns: last_seen_ns,
                    last_seen_ns,
                    set_id: m.set_id(),
                    index: 0,
                    set_index: 0,
                });
            }
        },
        "{}",
    )
    .unwrap();
}

fn revoke(m: Value) -> Result<Vec<u8>, String> {
    let p = propose_as(COUNCIL[0], json!({ "kind": "revoke_measurements", "measurements": m })).unwrap();
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

/// Every worker sits at the index slots its record names, in both indexes, and the counts match.
fn assert_indexes_consistent() {
    mock::call_with(
        || {
            let n = worker_count();
            let mut per_set = std::collections::BTreeMap::new();
            for i in 0..n {
                let w = load_worker(&worker_at(i).unwrap()).unwrap();
                assert_eq!(w.index, i);
                *per_set.entry(w.set_id.clone()).or_insert(0u64) += 1;
                let slot: String = storage_get_json(format!("si:{}:{}", w.set_id, w.set_index).as_bytes()).unwrap();
                assert_eq!(slot, w.public_key);
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
    approve(local_measurements());
    register_local().unwrap();
    seed_workers(&local_measurements(), 0, 300, 1);
    let before = with_state(|s| s.storage.clone());
    revoke(local_measurements()).unwrap();
    // No access-key deletion, no per-worker log (NEAR allows 100 logs a receipt), no worker record touched.
    assert!(with_state(|s| s.promises.is_empty()));
    let logs = with_state(|s| s.logs.clone());
    assert_eq!(logs.len(), 2, "{:?}", logs);
    let set_id = serde_json::from_value::<Measurements>(local_measurements()).unwrap().set_id();
    assert_eq!(logs[0], format!("measurements {} revoked: 301 workers refused from now on, to be pruned", set_id));
    let after = with_state(|s| s.storage.clone());
    let changed: Vec<String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
        .collect();
    assert_eq!(changed, vec!["measurements", "next_pid", "p:1", "revoked"]);
    let revoked = view(list_revoked_measurements, json!({}));
    assert_eq!(revoked[0]["set_id"], json!(set_id));
    assert_eq!(revoked[0]["workers_to_prune"], 301);
}

#[test]
fn a_worker_of_a_revoked_set_can_neither_get_the_master_secret_nor_publish_a_binding() {
    registered();
    revoke(local_measurements()).unwrap();
    as_worker(&worker_key_bytes());
    let err = call(request_master_secret, &json!({ "app_public_key": APP_KEY }).to_string()).unwrap_err();
    assert_eq!(err, "this worker's measurements were revoked");
    assert!(with_state(|s| s.promises.is_empty()));
    assert_eq!(call(register_binding, &binding_args()).unwrap_err(), "this worker's measurements were revoked");
    assert_eq!(call(worker_heartbeat, "{}").unwrap_err(), "this worker's measurements were revoked");
    assert_eq!(view(get_worker_status, json!({ "public_key": worker_pk() }))["status"], "revoked");
    assert_eq!(view(get_worker_status, json!({ "public_key": ed25519_string(&[5u8; 32]) })), json!({ "status": "unknown" }));
}

#[test]
fn revoked_measurements_cannot_be_approved_again() {
    registered();
    revoke(local_measurements()).unwrap();
    let err = propose_as(COUNCIL[0], json!({ "kind": "approve_measurements", "measurements": local_measurements() })).unwrap_err();
    assert_eq!(err, "measurements were revoked and cannot be approved again");
    assert_eq!(register_local().unwrap_err(), "measurements not approved");
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
    approve(local_measurements());
    approve(other_measurements());
    seed_workers(&local_measurements(), 0, 250, 1);
    seed_workers(&other_measurements(), 1000, 30, u64::MAX / 2);
    seed_workers(&local_measurements(), 250, 5, 1);
    assert_eq!(view(count_workers, json!({})), json!(285));
    revoke(local_measurements()).unwrap();

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
            assert!(logs[0].starts_with("pruned 55 workers (55 of revoked measurements, 0 idle past 2592000 s), freed "), "{}", logs[0]);
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
    let set_id = serde_json::from_value::<Measurements>(local_measurements()).unwrap().set_id();
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
    approve(local_measurements());
    seed_workers(&local_measurements(), 0, 20, 1);
    revoke(local_measurements()).unwrap();
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
    seed_workers(&local_measurements(), 0, 40, now - 40 * day); // idle 40 days
    seed_workers(&local_measurements(), 100, 10, now - day); // seen yesterday
    propose_as(COUNCIL[0], json!({ "kind": "set_worker_ttl", "worker_ttl_seconds": 10 * 24 * 3600 })).unwrap();
    vote_as(COUNCIL[1], 1).unwrap();
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
    approve(local_measurements());
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
    assert_eq!(calls[0].3, ONE_NEAR / 100);
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
    approve(local_measurements());
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
