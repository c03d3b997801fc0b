//! Stored types and storage keys of the DAO. Values are JSON (no borsh crate offline); keys
//! are short prefixes so each record costs few bytes of storage stake.

use near_host::*;
use serde::{Deserialize, Serialize};

pub const KEY_CONFIG: &[u8] = b"config";
pub const KEY_ROOT_CA: &[u8] = b"root_ca";
pub const KEY_MEASUREMENTS: &[u8] = b"measurements";
/// Number of registered workers; worker `i` (0-based, dense) is at `wi:{i}`.
pub const KEY_WORKER_COUNT: &[u8] = b"wn";
/// Measurement sets the council revoked (`Vec<RevokedSet>`): kept so they are never approved again
/// and so `prune_workers` knows which per-set worker indexes to drain.
pub const KEY_REVOKED: &[u8] = b"revoked";
/// Where the sweep for workers not seen within `worker_ttl_seconds` resumes in the worker index.
pub const KEY_SWEEP_CURSOR: &[u8] = b"sweep";
pub const KEY_NEXT_PROPOSAL: &[u8] = b"next_pid";

/// Methods a worker's function-call access key may call on the DAO account.
pub const WORKER_METHODS: &str = "request_master_secret,register_binding,worker_heartbeat,anchor_audit_head";

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Config {
    pub council: Vec<String>,
    pub threshold: u32,
    pub mpc_contract_id: String,
    pub ckd_domain_id: u64,
    pub ckd_path: String,
    pub chain_keys_contract_id: Option<String>,
    /// How long a proposal stays open for votes.
    pub proposal_ttl_seconds: u64,
    /// A worker not seen (registration, master-secret request, binding) for this long may be pruned.
    pub worker_ttl_seconds: u64,
    /// Allowance (yoctoNEAR) of each worker's function-call access key: the gas it may burn.
    pub worker_allowance: String,
    /// TCB statuses accepted at registration (dcap-qvl names).
    pub accepted_tcb_statuses: Vec<String>,
    /// Deposit (yoctoNEAR) attached to each chain-keys registration for its storage.
    pub binding_deposit: String,
    /// Gas for the MPC contract's request_app_private_key.
    pub mpc_gas_tgas: u64,
    /// TCB info and QE identity older than this Intel TCB evaluation data number are refused at
    /// registration (0: no minimum). The council raises it after an Intel TCB recovery, so
    /// superseded collateral stops passing while still inside its own validity window.
    #[serde(default)]
    pub min_tcb_evaluation_data_number: u32,
}

/// A TDX measurement set: MRTD and RTMR0–3, lowercase hex of 48 bytes each.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Measurements {
    pub mrtd: String,
    pub rtmr0: String,
    pub rtmr1: String,
    pub rtmr2: String,
    pub rtmr3: String,
}

impl Measurements {
    /// A short, stable name of the set for storage keys and logs: the first 8 bytes of
    /// sha256(mrtd ‖ rtmr0 ‖ rtmr1 ‖ rtmr2 ‖ rtmr3) in hex (the sets are few and council-chosen).
    pub fn set_id(&self) -> String {
        let joined = format!("{}{}{}{}{}", self.mrtd, self.rtmr0, self.rtmr1, self.rtmr2, self.rtmr3);
        hex::encode(&sha256(joined.as_bytes())[..8])
    }

    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [("mrtd", &self.mrtd), ("rtmr0", &self.rtmr0), ("rtmr1", &self.rtmr1), ("rtmr2", &self.rtmr2), ("rtmr3", &self.rtmr3)] {
            if v.len() != 96 || !v.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                return Err(format!("{} must be 48 bytes of lowercase hex", name));
            }
        }
        Ok(())
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ProposalKind {
    ApproveMeasurements { measurements: Measurements },
    RevokeMeasurements { measurements: Measurements },
    SetCouncil { council: Vec<String>, threshold: Option<u32> },
    SetThreshold { threshold: u32 },
    SetWorkerTtl { worker_ttl_seconds: u64 },
    SetChainKeysContract { chain_keys_contract_id: String },
    SetAcceptedTcbStatuses { statuses: Vec<String> },
    SetMinTcbEvaluationDataNumber { min_tcb_evaluation_data_number: u32 },
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Proposal {
    pub id: u64,
    pub proposer: String,
    pub action: ProposalKind,
    pub votes: Vec<String>,
    /// "open" or "executed"; views report "expired" for open proposals past `expires_at_ns`.
    pub status: String,
    pub created_at_ns: u64,
    pub expires_at_ns: u64,
    pub executed_at_ns: Option<u64>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Worker {
    pub public_key: String,
    pub measurements: Measurements,
    pub tcb_status: String,
    pub advisory_ids: Vec<String>,
    /// Block height of registration.
    pub registered_at: u64,
    pub registered_at_ns: u64,
    /// Last registration, master-secret request or binding by this worker (block time, ns).
    pub last_seen_ns: u64,
    /// `Measurements::set_id` of `measurements`.
    pub set_id: String,
    /// Position in the global worker index (`wi:{index}`) and in its set's index (`si:{set_id}:{set_index}`).
    pub index: u64,
    pub set_index: u64,
}

/// A measurement set the council revoked, and when.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RevokedSet {
    pub set_id: String,
    pub measurements: Measurements,
    pub revoked_at_ns: u64,
}

pub fn config() -> Config {
    storage_get_json(KEY_CONFIG).unwrap_or_else(|| panic_str("contract is not initialized"))
}

pub fn save_config(c: &Config) {
    storage_set_json(KEY_CONFIG, c);
}

pub fn proposal_key(id: u64) -> Vec<u8> {
    format!("p:{}", id).into_bytes()
}

pub fn load_proposal(id: u64) -> Option<Proposal> {
    storage_get_json(&proposal_key(id))
}

pub fn worker_key(pk: &str) -> Vec<u8> {
    format!("w:{}", pk).into_bytes()
}

pub fn load_worker(pk: &str) -> Option<Worker> {
    storage_get_json(&worker_key(pk))
}

pub fn measurements() -> Vec<Measurements> {
    storage_get_json(KEY_MEASUREMENTS).unwrap_or_default()
}

pub fn revoked_sets() -> Vec<RevokedSet> {
    storage_get_json(KEY_REVOKED).unwrap_or_default()
}

// ---- worker indexes: dense, counter-keyed, O(1) per insert and removal ----
//
// Every worker is in the global index (`wi:{i}`, i < `wn`) and in its measurement set's index
// (`si:{set}:{j}`, j < `sn:{set}`). A removal moves the last entry into the hole, so both stay
// dense and each operation touches a bounded number of records whatever the number of workers.

fn global_slot(i: u64) -> Vec<u8> {
    format!("wi:{}", i).into_bytes()
}

fn set_slot(set_id: &str, j: u64) -> Vec<u8> {
    format!("si:{}:{}", set_id, j).into_bytes()
}

fn set_count_key(set_id: &str) -> Vec<u8> {
    format!("sn:{}", set_id).into_bytes()
}

pub fn worker_count() -> u64 {
    storage_get_json(KEY_WORKER_COUNT).unwrap_or(0)
}

pub fn set_worker_count(set_id: &str) -> u64 {
    storage_get_json(&set_count_key(set_id)).unwrap_or(0)
}

/// The key of worker `i` of the global index.
pub fn worker_at(i: u64) -> Option<String> {
    storage_get_json(&global_slot(i))
}

/// The key of the last worker of a set's index (the next one to prune when the set is revoked).
pub fn last_worker_of_set(set_id: &str) -> Option<String> {
    match set_worker_count(set_id) {
        0 => None,
        n => storage_get_json(&set_slot(set_id, n - 1)),
    }
}

pub fn save_worker(w: &Worker) {
    storage_set_json(&worker_key(&w.public_key), w);
}

/// Stores a new worker at the end of both indexes (its `index`/`set_index` are assigned here).
pub fn insert_worker(mut w: Worker) -> Worker {
    let n = worker_count();
    let m = set_worker_count(&w.set_id);
    w.index = n;
    w.set_index = m;
    storage_set_json(&global_slot(n), &w.public_key);
    storage_set_json(KEY_WORKER_COUNT, &(n + 1));
    storage_set_json(&set_slot(&w.set_id, m), &w.public_key);
    storage_set_json(&set_count_key(&w.set_id), &(m + 1));
    save_worker(&w);
    w
}

/// Removes a worker's record and its two index entries.
pub fn remove_worker(w: &Worker) {
    storage_remove(&worker_key(&w.public_key));

    let last = worker_count() - 1;
    if w.index != last {
        let moved_pk: String = storage_get_json(&global_slot(last)).unwrap_or_else(|| panic_str("corrupt worker index"));
        let mut moved = load_worker(&moved_pk).unwrap_or_else(|| panic_str("corrupt worker index"));
        moved.index = w.index;
        storage_set_json(&global_slot(w.index), &moved_pk);
        save_worker(&moved);
    }
    storage_remove(&global_slot(last));
    storage_set_json(KEY_WORKER_COUNT, &last);

    let last = set_worker_count(&w.set_id) - 1;
    if w.set_index != last {
        let moved_pk: String = storage_get_json(&set_slot(&w.set_id, last)).unwrap_or_else(|| panic_str("corrupt set index"));
        let mut moved = load_worker(&moved_pk).unwrap_or_else(|| panic_str("corrupt set index"));
        moved.set_index = w.set_index;
        storage_set_json(&set_slot(&w.set_id, w.set_index), &moved_pk);
        save_worker(&moved);
    }
    storage_remove(&set_slot(&w.set_id, last));
    if last == 0 {
        storage_remove(&set_count_key(&w.set_id));
    } else {
        storage_set_json(&set_count_key(&w.set_id), &last);
    }
}

/// NEAR account id rules: 2–64 chars of [a-z0-9._-], no leading/trailing/double separators.
pub fn is_valid_account_id(id: &str) -> bool {
    let sep = |b: u8| b"._-".contains(&b);
    let b = id.as_bytes();
    (2..=64).contains(&b.len())
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || sep(*c))
        && !sep(b[0])
        && !sep(b[b.len() - 1])
        && !b.windows(2).any(|w| sep(w[0]) && sep(w[1]))
}

/// "ed25519:<base58>" → the 32 key bytes.
pub fn parse_ed25519(pk: &str) -> Result<[u8; 32], String> {
    let rest = pk.strip_prefix("ed25519:").ok_or("public_key must be \"ed25519:<base58>\"")?;
    let bytes = bs58::decode(rest).into_vec().map_err(|_| "public_key is not valid base58")?;
    if bytes.len() != 32 {
        return Err("ed25519 public_key must be 32 bytes".into());
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(&bytes);
    Ok(out)
}

pub fn ed25519_string(key: &[u8; 32]) -> String {
    format!("ed25519:{}", bs58::encode(key).into_string())
}

/// Borsh PublicKey as the runtime's key actions take it: curve byte 0 (ed25519) + 32 bytes.
pub fn ed25519_borsh(key: &[u8; 32]) -> Vec<u8> {
    let mut v = Vec::with_capacity(33);
    v.push(0);
    v.extend_from_slice(key);
    v
}

/// The transaction signer's key, if it is ed25519, in text form.
pub fn signer_key_string() -> Option<String> {
    let pk = signer_account_pk();
    if pk.len() == 33 && pk[0] == 0 {
        let mut k = [0u8; 32];
        k.copy_from_slice(&pk[1..]);
        Some(ed25519_string(&k))
    } else {
        None
    }
}
