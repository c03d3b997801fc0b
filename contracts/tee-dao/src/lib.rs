//! tee-dao: a council approves OS measurement sets (MRTD, RTMR0–2, key-provider event) and app
//! compose hashes; keystore workers that prove (on chain, with a DCAP-verified TDX quote and its
//! RTMR3 event log) that they run an approved app on an approved OS get a function-call access key
//! on this account, with which they ask the MPC network for the master secret and publish
//! their address bindings in chain-keys.

pub mod audit;
pub mod governance;
pub mod state;
pub mod workers;

use near_host::*;
use serde::{Deserialize, Serialize};
use state::*;

const DEFAULT_PROPOSAL_TTL_SECONDS: u64 = 7 * 24 * 3600;
const MIN_PROPOSAL_TTL_SECONDS: u64 = 3600;
/// A keystore asks for the master secret at every boot: a month without a boot, a request or a
/// binding means the instance is gone (a running one keeps its key; it is only pruned if idle).
const DEFAULT_WORKER_TTL_SECONDS: u64 = 30 * 24 * 3600;
const DEFAULT_WORKER_ALLOWANCE: u128 = ONE_NEAR;
/// 0.02 NEAR covers ~2 kB of storage: one binding is 700–1,050 bytes with its records (the longest
/// account id, an ethereum address); chain-keys keeps what it uses and refunds the rest.
const DEFAULT_BINDING_DEPOSIT: u128 = ONE_NEAR / 50;
/// The MPC contract's CKD request needs at least 15 Tgas; leave room for its yield/resume.
const DEFAULT_MPC_GAS_TGAS: u64 = 50;

#[derive(Deserialize)]
struct InitArgs {
    council: Vec<String>,
    threshold: u32,
    mpc_contract_id: String,
    ckd_domain_id: u64,
    ckd_path: String,
    #[serde(default)]
    root_ca_der_hex: Option<String>,
    #[serde(default)]
    chain_keys_contract_id: Option<String>,
    #[serde(default)]
    proposal_ttl_seconds: Option<u64>,
    #[serde(default)]
    worker_ttl_seconds: Option<u64>,
    #[serde(default)]
    worker_allowance: Option<String>,
    #[serde(default)]
    accepted_tcb_statuses: Option<Vec<String>>,
    #[serde(default)]
    binding_deposit: Option<String>,
    #[serde(default)]
    mpc_gas_tgas: Option<u64>,
    #[serde(default)]
    min_tcb_evaluation_data_number: Option<u32>,
    #[serde(default)]
    accepted_advisory_ids: Option<Vec<String>>,
}

pub fn new() {
    setup_panic_hook();
    require(!storage_has_key(KEY_CONFIG), "already initialized");
    require(predecessor_account_id() == current_account_id(), "only the contract account may initialize");
    let a: InitArgs = input_json();
    if let Err(e) = governance::validate_council(&a.council, a.threshold) {
        panic_str(&e);
    }
    require(is_valid_account_id(&a.mpc_contract_id), "invalid mpc_contract_id");
    require(!a.ckd_path.is_empty(), "ckd_path must not be empty");
    if let Some(ck) = &a.chain_keys_contract_id {
        require(is_valid_account_id(ck), "invalid chain_keys_contract_id");
    }
    let worker_ttl = a.worker_ttl_seconds.unwrap_or(DEFAULT_WORKER_TTL_SECONDS);
    if let Err(e) = governance::validate_worker_ttl(worker_ttl) {
        panic_str(&e);
    }
    let statuses = a.accepted_tcb_statuses.unwrap_or_else(|| vec!["UpToDate".to_string()]);
    if let Err(e) = governance::validate_statuses(&statuses) {
        panic_str(&e);
    }
    let advisories = a.accepted_advisory_ids.unwrap_or_default();
    if let Err(e) = governance::validate_advisory_ids(&advisories) {
        panic_str(&e);
    }
    let allowance = a.worker_allowance.unwrap_or_else(|| DEFAULT_WORKER_ALLOWANCE.to_string());
    // The runtime reads an allowance of 0 as unlimited: a worker key could then spend the DAO's balance on gas.
    require(
        parse_yocto(&allowance).map_or(false, |v| v > 0),
        "worker_allowance must be a positive yoctoNEAR decimal string (0 would be unlimited)",
    );
    let deposit = a.binding_deposit.unwrap_or_else(|| DEFAULT_BINDING_DEPOSIT.to_string());
    require(parse_yocto(&deposit).is_some(), "binding_deposit must be a yoctoNEAR decimal string");
    // It cannot be changed later: too short, no proposal needing a second vote could ever pass.
    let proposal_ttl = a.proposal_ttl_seconds.unwrap_or(DEFAULT_PROPOSAL_TTL_SECONDS);
    require(proposal_ttl >= MIN_PROPOSAL_TTL_SECONDS, "proposal_ttl_seconds must be at least 3600");
    let mpc_gas = a.mpc_gas_tgas.unwrap_or(DEFAULT_MPC_GAS_TGAS);
    require((15..=250).contains(&mpc_gas), "mpc_gas_tgas must be between 15 and 250");

    // The Intel SGX Root CA unless a local root is given here; it cannot be changed later.
    let root = match a.root_ca_der_hex {
        Some(h) => hex::decode(h.trim()).unwrap_or_else(|_| panic_str("root_ca_der_hex is not hex")),
        None => dcap::INTEL_SGX_ROOT_CA_DER.to_vec(),
    };
    match dcap::x509::Certificate::parse(&root) {
        Ok(c) if c.issuer == c.subject && c.signed_by(&c.public_key) => {}
        _ => panic_str("root CA must be a self-signed P-256 certificate"),
    }
    storage_write(KEY_ROOT_CA, &root);
    save_config(&Config {
        council: a.council,
        threshold: a.threshold,
        mpc_contract_id: a.mpc_contract_id,
        ckd_domain_id: a.ckd_domain_id,
        ckd_path: a.ckd_path,
        chain_keys_contract_id: a.chain_keys_contract_id,
        proposal_ttl_seconds: proposal_ttl,
        worker_ttl_seconds: worker_ttl,
        worker_allowance: allowance,
        accepted_tcb_statuses: statuses,
        binding_deposit: deposit,
        mpc_gas_tgas: mpc_gas,
        min_tcb_evaluation_data_number: a.min_tcb_evaluation_data_number.unwrap_or(0),
        accepted_advisory_ids: advisories,
        tcb_grace_seconds: 0,
        previous_tcb_policy: None,
        tcb_grace_until_ns: 0,
    });
    storage_set_json(KEY_OS_MEASUREMENTS, &Vec::<OsMeasurement>::new());
    storage_set_json(KEY_COMPOSE_HASHES, &Vec::<String>::new());
    storage_set_json(KEY_WORKER_COUNT, &0u64);
}

pub fn propose() {
    setup_panic_hook();
    governance::propose();
}

pub fn vote() {
    setup_panic_hook();
    governance::vote();
}

pub fn register_worker_key() {
    setup_panic_hook();
    workers::register_worker_key();
}

pub fn request_master_secret() {
    setup_panic_hook();
    workers::request_master_secret();
}

pub fn on_master_secret() {
    setup_panic_hook();
    workers::on_master_secret();
}

pub fn register_binding() {
    setup_panic_hook();
    workers::register_binding();
}

pub fn on_binding_registered() {
    setup_panic_hook();
    workers::on_binding_registered();
}

pub fn worker_heartbeat() {
    setup_panic_hook();
    workers::worker_heartbeat();
}

pub fn anchor_audit_head() {
    setup_panic_hook();
    audit::anchor_audit_head();
}

pub fn get_audit_anchor() {
    setup_panic_hook();
    audit::get_audit_anchor();
}

pub fn prune_workers() {
    setup_panic_hook();
    workers::prune_workers();
}

#[derive(Deserialize)]
struct KeyArgs {
    public_key: String,
}

/// A worker as views return it: the record plus whether the DAO still serves it (its OS set and
/// compose hash approved, its TCB status accepted; chain-keys relies on `measurements_approved`).
#[derive(Serialize)]
struct WorkerView {
    #[serde(flatten)]
    worker: Worker,
    measurements_approved: bool,
}

fn worker_view(w: Worker) -> WorkerView {
    let approved = refusal(&config(), &w, block_timestamp()).is_none();
    WorkerView { worker: w, measurements_approved: approved }
}

fn normalized_key(pk: &str) -> Option<String> {
    parse_ed25519(pk).ok().map(|k| ed25519_string(&k))
}

/// True for a worker the DAO still serves: registered, its OS set and compose hash not revoked, its TCB accepted.
pub fn is_registered_worker() {
    setup_panic_hook();
    let a: KeyArgs = input_json();
    let cfg = config();
    let found = normalized_key(&a.public_key).and_then(|pk| load_worker(&pk)).map(|w| refusal(&cfg, &w, block_timestamp()).is_none());
    return_json(&found.unwrap_or(false));
}

/// What a running keystore asks about itself: `registered` (served), `revoked` (its OS set or
/// compose hash was revoked, or its TCB status is no longer accepted, with `reason`; its record stays
/// until pruned) or `unknown` (no such worker: never registered, or pruned). Only `registered` lets a
/// worker act. `idle_deadline_ns`: from then on the worker may be pruned unless it is seen again.
/// `tcb_status`/`advisory_ids` are what the on-chain DCAP verification found at registration;
/// `tcb` is `accepted`, `grace` (accepted by the previous policy only, until `tcb_grace_until_ns`)
/// or `refused`.
pub fn get_worker_status() {
    setup_panic_hook();
    #[derive(Serialize, Default)]
    struct Status {
        status: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        os_set_id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        compose_hash: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        last_seen_ns: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        idle_deadline_ns: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tcb_status: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        advisory_ids: Option<Vec<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tcb_evaluation_data_number: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tcb: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tcb_grace_until_ns: Option<u64>,
    }
    let a: KeyArgs = input_json();
    let pk = normalized_key(&a.public_key).unwrap_or_else(|| panic_str("public_key must be \"ed25519:<base58>\" of 32 bytes"));
    let status = match load_worker(&pk) {
        None => Status { status: "unknown", ..Default::default() },
        Some(w) => {
            let cfg = config();
            let now = block_timestamp();
            let reason = refusal(&cfg, &w, now);
            let (tcb, grace) = match cfg.tcb_standing(&w, now) {
                TcbStanding::Accepted => ("accepted", None),
                TcbStanding::Grace(until) => ("grace", Some(until)),
                TcbStanding::Refused => ("refused", None),
            };
            Status {
                status: if reason.is_none() { "registered" } else { "revoked" },
                reason,
                idle_deadline_ns: Some(w.last_seen_ns.saturating_add(cfg.worker_ttl_seconds.saturating_mul(1_000_000_000))),
                os_set_id: Some(w.os_set_id),
                compose_hash: Some(w.compose_hash),
                last_seen_ns: Some(w.last_seen_ns),
                tcb_status: Some(w.tcb_status),
                advisory_ids: Some(w.advisory_ids),
                tcb_evaluation_data_number: Some(w.tcb_evaluation_data_number),
                tcb: Some(tcb),
                tcb_grace_until_ns: grace,
            }
        }
    };
    return_json(&status);
}

pub fn get_worker() {
    setup_panic_hook();
    let a: KeyArgs = input_json();
    let found = normalized_key(&a.public_key).and_then(|pk| load_worker(&pk)).map(worker_view);
    return_json(&found);
}

#[derive(Deserialize)]
struct PageArgs {
    #[serde(default)]
    from_index: Option<u64>,
    #[serde(default)]
    limit: Option<u64>,
}

/// The requested window (at most 100 items), so views read only the records they return.
fn page_range() -> (usize, usize) {
    let a: PageArgs = input_json();
    (a.from_index.unwrap_or(0) as usize, a.limit.unwrap_or(100).min(100) as usize)
}

/// Workers in index order. A pruned worker's slot is taken by the last one, so the order may
/// change between pages while workers are pruned.
pub fn list_workers() {
    setup_panic_hook();
    let (from, limit) = page_range();
    let end = worker_count().min(from as u64 + limit as u64);
    let page: Vec<WorkerView> =
        (from as u64..end).filter_map(worker_at).filter_map(|pk| load_worker(&pk)).map(worker_view).collect();
    return_json(&page);
}

pub fn count_workers() {
    setup_panic_hook();
    return_json(&worker_count());
}

/// The revoked OS measurement sets and compose hashes, with how many of their workers are still to prune.
pub fn list_revoked_measurements() {
    setup_panic_hook();
    #[derive(Serialize)]
    struct View {
        #[serde(flatten)]
        set: RevokedSet,
        workers_to_prune: u64,
    }
    let list: Vec<View> = revoked_sets()
        .into_iter()
        .map(|set| {
            let n = set_worker_count(&set.set_id);
            View { set, workers_to_prune: n }
        })
        .collect();
    return_json(&list);
}

pub fn list_os_measurements() {
    setup_panic_hook();
    return_json(&os_measurements());
}

pub fn list_compose_hashes() {
    setup_panic_hook();
    return_json(&compose_hashes());
}

fn proposal_view(mut p: Proposal) -> Proposal {
    if p.status == "open" && block_timestamp() > p.expires_at_ns {
        p.status = "expired".into();
    }
    p
}

pub fn get_proposal() {
    setup_panic_hook();
    #[derive(Deserialize)]
    struct Args {
        proposal_id: u64,
    }
    let a: Args = input_json();
    return_json(&load_proposal(a.proposal_id).map(proposal_view));
}

pub fn list_proposals() {
    setup_panic_hook();
    let (from, limit) = page_range();
    let next: u64 = storage_get_json(KEY_NEXT_PROPOSAL).unwrap_or(0);
    let page: Vec<Proposal> =
        (from as u64..next).take(limit).filter_map(load_proposal).map(proposal_view).collect();
    return_json(&page);
}

pub fn get_config() {
    setup_panic_hook();
    #[derive(Serialize)]
    struct View {
        #[serde(flatten)]
        config: Config,
        root_ca_sha256: String,
        root_ca_is_intel: bool,
    }
    let root = storage_read(KEY_ROOT_CA).unwrap_or_default();
    return_json(&View {
        config: config(),
        root_ca_sha256: hex::encode(sha256(&root)),
        root_ca_is_intel: root == dcap::INTEL_SGX_ROOT_CA_DER,
    });
}

export_methods!(
    new,
    propose,
    vote,
    register_worker_key,
    request_master_secret,
    on_master_secret,
    register_binding,
    on_binding_registered,
    worker_heartbeat,
    prune_workers,
    is_registered_worker,
    get_worker_status,
    get_worker,
    list_workers,
    count_workers,
    list_os_measurements,
    list_compose_hashes,
    list_revoked_measurements,
    get_proposal,
    list_proposals,
    get_config,
    anchor_audit_head,
    get_audit_anchor,
);

#[cfg(test)]
mod tests;
