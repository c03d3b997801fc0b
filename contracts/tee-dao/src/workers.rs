//! Worker lifecycle: attested registration (DCAP + report_data binding + RTMR3 replay with every
//! event digest checked + approved OS measurement set + approved compose hash → function-call
//! access key on the DAO account), the master-secret
//! request to the MPC network, and forwarding address bindings to chain-keys.

use crate::state::*;
use near_host::*;
use serde::{Deserialize, Serialize};

const ON_MASTER_SECRET_GAS: u64 = 10 * TGAS;
const CHAIN_KEYS_GAS: u64 = 60 * TGAS;
const ON_BINDING_GAS: u64 = 10 * TGAS;

#[derive(Deserialize)]
struct RegisterArgs {
    public_key: String,
    quote_hex: String,
    collateral: dcap::Collateral,
    event_log: Vec<dcap::eventlog::Event>,
    /// The app-compose document exactly as dstack hashed it (the `compose-hash` event is its sha256).
    app_compose: String,
}

/// dstack's runtime event type: every RTMR3 event of a dstack CVM has it.
const DSTACK_RUNTIME_EVENT: u32 = 0x0800_0001;

/// What the RTMR3 event log says, once every event's digest is checked and the replay is known.
struct RuntimeEvents {
    rtmr3: [u8; 48],
    compose_hash: Vec<u8>,
    key_provider_digest: [u8; 48],
    instance_id: Vec<u8>,
}

/// Replays RTMR3 from the log, recomputing every event's digest as dstack does
/// (SHA384(u32_le(type) ‖ ":" ‖ name ‖ ":" ‖ payload)) and refusing a logged digest that differs,
/// so a name or payload cannot ride on an honest digest. `compose-hash` and `key-provider` must each
/// occur exactly once, `compose-hash` before `boot-mr-done` (what the OS measured before handing
/// over to the app). `instance-id` and `app-id` are read but approve nothing.
fn read_runtime_events(events: &[dcap::eventlog::Event]) -> Result<RuntimeEvents, String> {
    use sha2::{Digest, Sha384};
    let mut rtmr3 = [0u8; 48];
    let mut compose_hash: Option<Vec<u8>> = None;
    let mut key_provider: Option<[u8; 48]> = None;
    let mut instance_id = Vec::new();
    let mut boot_done = false;
    for (i, e) in events.iter().enumerate().filter(|(_, e)| e.imr == 3) {
        if e.event_type != DSTACK_RUNTIME_EVENT {
            return Err(format!("event {}: RTMR3 events must be dstack runtime events (type 0x08000001)", i));
        }
        let payload = hex::decode(&e.event_payload).map_err(|_| format!("event {} '{}': payload is not hex", i, e.event))?;
        let mut h = Sha384::new();
        h.update(e.event_type.to_le_bytes());
        h.update(b":");
        h.update(e.event.as_bytes());
        h.update(b":");
        h.update(&payload);
        let digest: [u8; 48] = h.finalize().into();
        if !e.digest.is_empty() && !e.digest.eq_ignore_ascii_case(&hex::encode(digest)) {
            return Err(format!("event {} '{}': digest does not match its type, name and payload", i, e.event));
        }
        let mut h = Sha384::new();
        h.update(rtmr3);
        h.update(digest);
        rtmr3 = h.finalize().into();
        match e.event.as_str() {
            "compose-hash" => {
                if compose_hash.is_some() || boot_done {
                    return Err(format!("event {}: compose-hash must occur once, before boot-mr-done", i));
                }
                compose_hash = Some(payload);
            }
            "key-provider" => {
                if key_provider.is_some() {
                    return Err(format!("event {}: key-provider must occur once", i));
                }
                key_provider = Some(digest);
            }
            "boot-mr-done" => boot_done = true,
            "instance-id" => instance_id = payload,
            _ => {}
        }
    }
    Ok(RuntimeEvents {
        rtmr3,
        compose_hash: compose_hash.ok_or("event log has no compose-hash event")?,
        key_provider_digest: key_provider.ok_or("event log has no key-provider event")?,
        instance_id,
    })
}

pub fn hex48(b: &[u8]) -> String {
    hex::encode(b)
}

pub fn register_worker_key() {
    let cfg = config();
    let a: RegisterArgs = input_json();
    let key = parse_ed25519(&a.public_key).unwrap_or_else(|e| panic_str(&e));
    let pk = ed25519_string(&key);
    let quote = hex::decode(a.quote_hex.trim()).unwrap_or_else(|_| panic_str("quote_hex is not hex"));
    let root = storage_read(KEY_ROOT_CA).unwrap_or_else(|| panic_str("contract is not initialized"));
    let now_secs = block_timestamp() / 1_000_000_000;

    let policy = dcap::Policy { min_tcb_evaluation_data_number: cfg.min_tcb_evaluation_data_number };
    let verified = dcap::verify_with_policy(&quote, &a.collateral, now_secs, &root, &policy)
        .unwrap_or_else(|e| panic_str(&format!("quote verification failed: {}", e)));
    if !cfg.tcb_policy().accepts(&verified.status, &verified.advisory_ids) {
        panic_str(&format!("TCB status {} (advisories {:?}) is not accepted", verified.status, verified.advisory_ids));
    }
    let r = &verified.report;
    // report_data = worker public key ‖ 32 zero bytes: the quote speaks for this key only.
    if r.report_data[..32] != key[..] || r.report_data[32..].iter().any(|b| *b != 0) {
        panic_str("report_data does not bind public_key (expected key || 32 zero bytes)");
    }
    let events = read_runtime_events(&a.event_log).unwrap_or_else(|e| panic_str(&format!("event log: {}", e)));
    if events.rtmr3[..] != r.rtmr3[..] {
        panic_str("RTMR3 replay mismatch: the event log does not reproduce the quote's RTMR3");
    }
    if events.compose_hash[..] != sha256(a.app_compose.as_bytes())[..] {
        panic_str("app_compose does not match the compose-hash event (sha256 of the document differs)");
    }
    let compose_hash = hex::encode(&events.compose_hash);
    if !compose_hashes().contains(&compose_hash) {
        panic_str(&format!("compose hash {} is not approved", compose_hash));
    }
    let os = OsMeasurement {
        mrtd: hex48(&r.mr_td),
        rtmr0: hex48(&r.rtmr0),
        rtmr1: hex48(&r.rtmr1),
        rtmr2: hex48(&r.rtmr2),
        key_provider_digest: hex48(&events.key_provider_digest),
    };
    if !os_measurements().contains(&os) {
        panic_str(&format!("OS measurements {} are not approved", os.set_id()));
    }
    if let Some(mut existing) = load_worker(&pk) {
        // Already registered (a retried registration): the access key exists, nothing to add.
        // Newer collateral for the same OS set and compose hash re-evaluates its TCB in place, so a
        // worker on a patched platform stays served when the council raises the minimum evaluation
        // number; older collateral never replaces newer (nor can anyone make a worker look superseded).
        // Not a sign of life: anyone may send this, so `last_seen_ns` is kept.
        if verified.tcb_evaluation_data_number > existing.tcb_evaluation_data_number
            && existing.os_measurement == os
            && existing.compose_hash == compose_hash
        {
            existing.tcb_status = verified.status;
            existing.advisory_ids = verified.advisory_ids;
            existing.tcb_evaluation_data_number = verified.tcb_evaluation_data_number;
            save_worker(&existing);
            log_str(&format!("worker {} re-evaluated with TCB evaluation data number {}", pk, existing.tcb_evaluation_data_number));
        }
        return_json(&existing);
        return;
    }
    let worker = insert_worker(Worker {
        public_key: pk.clone(),
        measurements: Measurements {
            mrtd: hex48(&r.mr_td),
            rtmr0: hex48(&r.rtmr0),
            rtmr1: hex48(&r.rtmr1),
            rtmr2: hex48(&r.rtmr2),
            rtmr3: hex48(&r.rtmr3),
        },
        os_set_id: os.set_id(),
        os_measurement: os,
        compose_hash,
        instance_id: hex::encode(&events.instance_id),
        tcb_status: verified.status,
        advisory_ids: verified.advisory_ids,
        tcb_evaluation_data_number: verified.tcb_evaluation_data_number,
        registered_at: block_height(),
        registered_at_ns: block_timestamp(),
        last_seen_ns: block_timestamp(),
        index: 0,
        os_index: 0,
        compose_index: 0,
    });

    let me = current_account_id();
    let allowance = parse_yocto(&cfg.worker_allowance).unwrap_or_else(|| panic_str("bad worker_allowance"));
    let b = promise_batch_create(&me);
    promise_batch_action_add_key_with_function_call(b, &ed25519_borsh(&key), 0, allowance, &me, WORKER_METHODS);
    log_str(&format!("worker {} registered", pk));
    return_json(&worker);
}

/// Worker methods are called with the worker's access key on the DAO account, so the
/// predecessor is the DAO itself and the signer key is the worker key. A worker whose OS set or
/// compose hash was revoked (or whose TCB status is no longer accepted, once its grace is over)
/// keeps its key until `prune_workers` removes it, so both are checked here, on every call: that
/// check is what makes revocation immediate.
/// Marks the worker seen (the call rolls back, and the mark with it, if the method fails).
pub(crate) fn require_worker() -> Worker {
    require(predecessor_account_id() == current_account_id(), "worker methods must be called with a worker access key of this account");
    let pk = signer_key_string().unwrap_or_else(|| panic_str("signer key is not a registered worker"));
    let mut w = load_worker(&pk).unwrap_or_else(|| panic_str("signer key is not a registered worker"));
    if let Some(reason) = refusal(&config(), &w, block_timestamp()) {
        panic_str(reason);
    }
    w.last_seen_ns = block_timestamp();
    save_worker(&w);
    w
}

/// A running worker's sign of life: without it, a keystore that neither restarts nor publishes a
/// binding for `worker_ttl_seconds` would be pruned while it serves.
pub fn worker_heartbeat() {
    let w = require_worker();
    return_json(&w.last_seen_ns);
}

pub fn request_master_secret() {
    #[derive(Deserialize)]
    struct Args {
        app_public_key: String,
    }
    let cfg = config();
    let worker = require_worker();
    let a: Args = input_json();
    let rest = a
        .app_public_key
        .strip_prefix("bls12381g1:")
        .unwrap_or_else(|| panic_str("app_public_key must be \"bls12381g1:<base58>\""));
    match bs58::decode(rest).into_vec() {
        Ok(b) if b.len() == 48 => {}
        _ => panic_str("app_public_key must be a 48-byte compressed G1 point in base58"),
    }
    let mpc_gas = cfg.mpc_gas_tgas * TGAS;
    let needed = mpc_gas + ON_MASTER_SECRET_GAS + 10 * TGAS;
    if prepaid_gas() < needed {
        panic_str(&format!("attach at least {} Tgas", needed / TGAS));
    }
    let args = serde_json::json!({
        "request": {
            "derivation_path": cfg.ckd_path,
            "app_public_key": a.app_public_key,
            "domain_id": cfg.ckd_domain_id,
        }
    });
    // 1 yoctoNEAR from the DAO's balance: the MPC contract requires a deposit for requests.
    let p = promise_create(&cfg.mpc_contract_id, "request_app_private_key", args.to_string().as_bytes(), 1, mpc_gas);
    let cb = promise_then(p, &current_account_id(), "on_master_secret", b"{}", 0, ON_MASTER_SECRET_GAS);
    log_str(&format!("master secret requested by worker {}", worker.public_key));
    promise_return(cb);
}

#[derive(Serialize, Deserialize)]
struct CkdResponse {
    big_y: String,
    big_c: String,
}

pub fn on_master_secret() {
    require(predecessor_account_id() == current_account_id(), "callback is private");
    require(promise_results_count() == 1, "expected one promise result");
    match promise_result(0) {
        PromiseResult::Successful(bytes) => {
            let r: CkdResponse = serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| panic_str("MPC returned an unexpected response (expected {big_y, big_c})"));
            if !r.big_y.starts_with("bls12381g1:") || !r.big_c.starts_with("bls12381g1:") {
                panic_str("MPC returned points not in bls12381g1:<base58> form");
            }
            return_json(&r);
        }
        _ => panic_str("MPC request_app_private_key failed"),
    }
}

#[derive(Serialize, Deserialize)]
struct BindingArgs {
    account_id: String,
    chain: String,
    index: u32,
    public_key: String,
    address: String,
}

pub fn register_binding() {
    let cfg = config();
    require_worker();
    let a: BindingArgs = input_json();
    let chain_keys = cfg.chain_keys_contract_id.clone().unwrap_or_else(|| panic_str("chain_keys_contract_id is not configured"));
    let deposit = parse_yocto(&cfg.binding_deposit).unwrap_or_else(|| panic_str("bad binding_deposit"));
    let needed = CHAIN_KEYS_GAS + ON_BINDING_GAS + 10 * TGAS;
    if prepaid_gas() < needed {
        panic_str(&format!("attach at least {} Tgas", needed / TGAS));
    }
    let args = serde_json::to_vec(&a).unwrap_or_default();
    let p = promise_create(&chain_keys, "register_tee_key", &args, deposit, CHAIN_KEYS_GAS);
    let cb = promise_then(p, &current_account_id(), "on_binding_registered", b"{}", 0, ON_BINDING_GAS);
    promise_return(cb);
}

pub fn on_binding_registered() {
    #[derive(Deserialize, Serialize)]
    struct Outcome {
        ok: bool,
        #[serde(default)]
        binding: Option<serde_json::Value>,
        #[serde(default)]
        error: Option<String>,
    }
    require(predecessor_account_id() == current_account_id(), "callback is private");
    require(promise_results_count() == 1, "expected one promise result");
    match promise_result(0) {
        PromiseResult::Successful(bytes) => {
            let o: Outcome = serde_json::from_slice(&bytes).unwrap_or_else(|_| panic_str("chain-keys returned an unexpected response"));
            if !o.ok {
                panic_str(&format!("chain-keys rejected the binding: {}", o.error.unwrap_or_default()));
            }
            return_json(&o.binding);
        }
        _ => panic_str("chain-keys register_tee_key failed"),
    }
}

/// Pages larger than this could not finish within the 300 Tgas a transaction may carry.
pub const MAX_PRUNE_LIMIT: u64 = 100;
const DEFAULT_PRUNE_LIMIT: u64 = 50;
/// Gas kept back for the summary log and the return value.
const PRUNE_GAS_RESERVE: u64 = 10 * TGAS;

#[derive(Serialize)]
struct PruneOutcome {
    pruned: u64,
    revoked: u64,
    expired: u64,
    examined: u64,
    freed_bytes: u64,
    remaining_workers: u64,
    more: bool,
}

/// Removes, in one bounded page, the records and access keys of workers that can no longer act:
/// first those of revoked OS sets and compose hashes, then (a sweep through the worker index that resumes
/// where the last call stopped) those not seen for `worker_ttl_seconds`. Anyone may call it and
/// pays its gas: it only removes workers the DAO already refuses or that are idle past the
/// council's TTL, so a caller can speed up housekeeping but choose nothing. The freed storage
/// stake returns to the DAO's own balance as the state shrinks.
pub fn prune_workers() {
    #[derive(Deserialize)]
    struct Args {
        #[serde(default)]
        limit: Option<u64>,
    }
    let cfg = config();
    let a: Args = input_json();
    let limit = a.limit.unwrap_or(DEFAULT_PRUNE_LIMIT).clamp(1, MAX_PRUNE_LIMIT);
    let me = current_account_id();
    let before = storage_usage();
    let has_gas = || prepaid_gas().saturating_sub(used_gas()) > PRUNE_GAS_RESERVE;
    let mut out = PruneOutcome { pruned: 0, revoked: 0, expired: 0, examined: 0, freed_bytes: 0, remaining_workers: 0, more: false };

    let revoked = revoked_sets();
    for r in &revoked {
        while out.examined < limit && has_gas() {
            let pk = match last_worker_of_set(&r.set_id) {
                Some(pk) => pk,
                None => break,
            };
            let w = load_worker(&pk).unwrap_or_else(|| panic_str("corrupt set index"));
            drop_worker(&me, &w);
            out.examined += 1;
            out.revoked += 1;
        }
    }

    let ttl_ns = cfg.worker_ttl_seconds.saturating_mul(1_000_000_000);
    let now = block_timestamp();
    let mut cursor: u64 = storage_get_json(KEY_SWEEP_CURSOR).unwrap_or(0);
    while out.examined < limit && has_gas() && cursor < worker_count() {
        let pk = worker_at(cursor).unwrap_or_else(|| panic_str("corrupt worker index"));
        let w = load_worker(&pk).unwrap_or_else(|| panic_str("corrupt worker index"));
        out.examined += 1;
        if now.saturating_sub(w.last_seen_ns) > ttl_ns || refusal(&cfg, &w, now).is_some() {
            // The last worker moves into this slot: it is looked at next, the cursor stays.
            drop_worker(&me, &w);
            out.expired += 1;
        } else {
            cursor += 1;
        }
    }
    let sweep_done = cursor >= worker_count();
    storage_set_json(KEY_SWEEP_CURSOR, &if sweep_done { 0 } else { cursor });

    out.pruned = out.revoked + out.expired;
    out.freed_bytes = before.saturating_sub(storage_usage());
    out.remaining_workers = worker_count();
    out.more = !sweep_done || revoked.iter().any(|r| set_worker_count(&r.set_id) > 0);
    log_str(&format!(
        "pruned {} workers ({} of revoked sets, {} refused or idle past {} s), freed {} bytes; {}",
        out.pruned,
        out.revoked,
        out.expired,
        cfg.worker_ttl_seconds,
        out.freed_bytes,
        if out.more { "more to examine" } else { "done" }
    ));
    return_json(&out);
}

/// One batch per key, so a key that is already gone cannot block the others.
fn drop_worker(me: &str, w: &Worker) {
    remove_worker(w);
    if let Ok(key) = parse_ed25519(&w.public_key) {
        let b = promise_batch_create(me);
        promise_batch_action_delete_key(b, &ed25519_borsh(&key));
    }
}
