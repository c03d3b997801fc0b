//! Stored types and storage keys of the DAO. Values are JSON (no borsh crate offline); keys
//! are short prefixes so each record costs few bytes of storage stake.

use near_host::*;
use serde::{Deserialize, Serialize};

pub const KEY_CONFIG: &[u8] = b"config";
pub const KEY_ROOT_CA: &[u8] = b"root_ca";
/// Approved OS measurement sets (`Vec<OsMeasurement>`).
pub const KEY_OS_MEASUREMENTS: &[u8] = b"os";
/// Approved app compose hashes (`Vec<String>`, lowercase hex of 32 bytes).
pub const KEY_COMPOSE_HASHES: &[u8] = b"compose";
/// Number of registered workers; worker `i` (0-based, dense) is at `wi:{i}`.
pub const KEY_WORKER_COUNT: &[u8] = b"wn";
/// OS measurement sets and compose hashes the council revoked (`Vec<RevokedSet>`): kept so they are
/// never approved again and so `prune_workers` knows which per-set worker indexes to drain.
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
    /// Advisory ids accepted with a status other than `UpToDate`: such a quote is accepted only when
    /// every advisory it carries is named here.
    #[serde(default)]
    pub accepted_advisory_ids: Vec<String>,
    /// How long workers the previous TCB policy accepted keep working after the council changes it.
    #[serde(default)]
    pub tcb_grace_seconds: u64,
    /// The TCB policy before the last change, honoured until `tcb_grace_until_ns`.
    #[serde(default)]
    pub previous_tcb_policy: Option<TcbPolicy>,
    #[serde(default)]
    pub tcb_grace_until_ns: u64,
}

/// Which TCB statuses (and, for statuses other than `UpToDate`, which advisories) are accepted.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TcbPolicy {
    pub statuses: Vec<String>,
    pub advisory_ids: Vec<String>,
}

impl TcbPolicy {
    pub fn accepts(&self, status: &str, advisory_ids: &[String]) -> bool {
        self.statuses.iter().any(|s| s == status)
            && (status == "UpToDate" || advisory_ids.iter().all(|a| self.advisory_ids.contains(a)))
    }
}

/// Whether a worker's TCB (as verified at its registration) is still accepted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TcbStanding {
    Accepted,
    /// Accepted only by the previous policy, until this block time (ns).
    Grace(u64),
    Refused,
}

impl Config {
    pub fn tcb_policy(&self) -> TcbPolicy {
        TcbPolicy { statuses: self.accepted_tcb_statuses.clone(), advisory_ids: self.accepted_advisory_ids.clone() }
    }

    /// Constant work: the worker's registration-time status against the current policy, else the
    /// previous one while its grace lasts.
    pub fn tcb_standing(&self, w: &Worker, now_ns: u64) -> TcbStanding {
        if self.tcb_policy().accepts(&w.tcb_status, &w.advisory_ids) {
            return TcbStanding::Accepted;
        }
        match &self.previous_tcb_policy {
            Some(p) if now_ns <= self.tcb_grace_until_ns && p.accepts(&w.tcb_status, &w.advisory_ids) => {
                TcbStanding::Grace(self.tcb_grace_until_ns)
            }
            _ => TcbStanding::Refused,
        }
    }
}

/// The quote's MRTD and RTMR0–3 (lowercase hex), kept on the worker record as what it attested.
/// RTMR3 is not approved as such: it includes the per-CVM `instance-id`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Measurements {
    pub mrtd: String,
    pub rtmr0: String,
    pub rtmr1: String,
    pub rtmr2: String,
    pub rtmr3: String,
}

/// What stays the same for every CVM of one dstack OS image and key provider: MRTD, RTMR0–2 and the
/// digest of the `key-provider` runtime event (lowercase hex of 48 bytes each).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OsMeasurement {
    pub mrtd: String,
    pub rtmr0: String,
    pub rtmr1: String,
    pub rtmr2: String,
    pub key_provider_digest: String,
}

fn is_lower_hex(v: &str, bytes: usize) -> bool {
    v.len() == bytes * 2 && v.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl OsMeasurement {
    /// A stable name of the set for storage keys and logs: `o` + sha256(mrtd ‖ rtmr0 ‖ rtmr1 ‖
    /// rtmr2 ‖ key_provider_digest) in hex. The whole digest: the set's worker index is drained when
    /// the set is revoked, so two sets sharing an id would let revoking one prune the other's workers
    /// (a truncated digest collides for whoever chooses a key-provider payload or a compose document).
    pub fn set_id(&self) -> String {
        let joined = format!("{}{}{}{}{}", self.mrtd, self.rtmr0, self.rtmr1, self.rtmr2, self.key_provider_digest);
        format!("o{}", hex::encode(sha256(joined.as_bytes())))
    }

    pub fn validate(&self) -> Result<(), String> {
        for (name, v) in [
            ("mrtd", &self.mrtd),
            ("rtmr0", &self.rtmr0),
            ("rtmr1", &self.rtmr1),
            ("rtmr2", &self.rtmr2),
            ("key_provider_digest", &self.key_provider_digest),
        ] {
            if !is_lower_hex(v, 48) {
                return Err(format!("{} must be 48 bytes of lowercase hex", name));
            }
        }
        Ok(())
    }
}

pub fn validate_compose_hash(h: &str) -> Result<(), String> {
    if is_lower_hex(h, 32) {
        Ok(())
    } else {
        Err("compose_hash must be 32 bytes of lowercase hex (sha256 of the app-compose document)".into())
    }
}

/// The worker index of a compose hash: `c` + the whole hash (see [`OsMeasurement::set_id`] for why
/// not a prefix: two approved documents agreeing in 8 bytes cost 2^32 hashes to find).
pub fn compose_set_id(compose_hash: &str) -> String {
    format!("c{}", compose_hash)
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ProposalKind {
    AddOsMeasurement(OsMeasurement),
    RemoveOsMeasurement(OsMeasurement),
    AddComposeHash { compose_hash: String },
    RemoveComposeHash { compose_hash: String },
    SetCouncil { council: Vec<String>, threshold: Option<u32> },
    SetThreshold { threshold: u32 },
    SetWorkerTtl { worker_ttl_seconds: u64 },
    SetChainKeysContract { chain_keys_contract_id: String },
    SetAcceptedTcbStatuses {
        statuses: Vec<String>,
        #[serde(default)]
        advisory_ids: Vec<String>,
        #[serde(default)]
        grace_seconds: u64,
    },
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
    /// What the quote attested (RTMR3 included, for the record; approval is by OS set and compose hash).
    pub measurements: Measurements,
    /// The approved OS measurement set and compose hash it registered under: revoking either stops it.
    pub os_set_id: String,
    pub os_measurement: OsMeasurement,
    pub compose_hash: String,
    /// The CVM's `instance-id` event payload (hex; empty if the app set `no_instance_id`): informative only.
    pub instance_id: String,
    /// TCB status and advisories of the on-chain DCAP verification at registration.
    pub tcb_status: String,
    pub advisory_ids: Vec<String>,
    /// The Intel TCB evaluation (lower `tcbEvaluationDataNumber` of the TCB info and QE identity) that
    /// status was found with. Below the council's `min_tcb_evaluation_data_number` the worker is
    /// refused: a TCB recovery supersedes what its registration proved.
    #[serde(default)]
    pub tcb_evaluation_data_number: u32,
    /// Block height of registration.
    pub registered_at: u64,
    pub registered_at_ns: u64,
    /// Last registration, master-secret request or binding by this worker (block time, ns).
    pub last_seen_ns: u64,
    /// Position in the global worker index (`wi:{index}`), in its OS set's index
    /// (`si:{os_set_id}:{os_index}`) and in its compose hash's index (`si:{compose_set_id}:{compose_index}`).
    pub index: u64,
    pub os_index: u64,
    pub compose_index: u64,
}

impl Worker {
    pub fn compose_set_id(&self) -> String {
        compose_set_id(&self.compose_hash)
    }
}

/// An OS measurement set or compose hash the council revoked, and when.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RevokedSet {
    pub set_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os_measurement: Option<OsMeasurement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compose_hash: Option<String>,
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

pub fn os_measurements() -> Vec<OsMeasurement> {
    storage_get_json(KEY_OS_MEASUREMENTS).unwrap_or_default()
}

pub fn compose_hashes() -> Vec<String> {
    storage_get_json(KEY_COMPOSE_HASHES).unwrap_or_default()
}

/// Why the DAO no longer serves a worker, or None if it does. Constant work in the number of
/// workers: two short lists (the approved sets) and the TCB policy.
pub fn refusal(cfg: &Config, w: &Worker, now_ns: u64) -> Option<&'static str> {
    if !os_measurements().contains(&w.os_measurement) {
        return Some("this worker's OS measurements were revoked");
    }
    if !compose_hashes().contains(&w.compose_hash) {
        return Some("this worker's compose hash was revoked");
    }
    if cfg.tcb_standing(w, now_ns) == TcbStanding::Refused {
        return Some("this worker's TCB status is no longer accepted");
    }
    if w.tcb_evaluation_data_number < cfg.min_tcb_evaluation_data_number {
        return Some("this worker's TCB evaluation data number is below the council's minimum");
    }
    None
}

pub fn revoked_sets() -> Vec<RevokedSet> {
    storage_get_json(KEY_REVOKED).unwrap_or_default()
}

// ---- worker indexes: dense, counter-keyed, O(1) per insert and removal ----
//
// Every worker is in the global index (`wi:{i}`, i < `wn`) and in the index of its OS set and of its
// compose hash (`si:{set}:{j}`, j < `sn:{set}`). A removal moves the last entry into the hole, so all
// stay dense and each operation touches a bounded number of records whatever the number of workers.

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

fn push_to_set(set_id: &str, pk: &str) -> u64 {
    let m = set_worker_count(set_id);
    storage_set_json(&set_slot(set_id, m), &pk);
    storage_set_json(&set_count_key(set_id), &(m + 1));
    m
}

/// Stores a new worker at the end of its three indexes (its `index`/`os_index`/`compose_index` are assigned here).
pub fn insert_worker(mut w: Worker) -> Worker {
    let n = worker_count();
    w.index = n;
    storage_set_json(&global_slot(n), &w.public_key);
    storage_set_json(KEY_WORKER_COUNT, &(n + 1));
    w.os_index = push_to_set(&w.os_set_id, &w.public_key);
    w.compose_index = push_to_set(&w.compose_set_id(), &w.public_key);
    save_worker(&w);
    w
}

/// Removes `pk` from slot `at` of a set index, moving the set's last entry into the hole;
/// `set_position` updates the moved worker's own record of where it sits.
fn remove_from_set(set_id: &str, at: u64, set_position: fn(&mut Worker, u64)) {
    let last = set_worker_count(set_id) - 1;
    if at != last {
        let moved_pk: String = storage_get_json(&set_slot(set_id, last)).unwrap_or_else(|| panic_str("corrupt set index"));
        let mut moved = load_worker(&moved_pk).unwrap_or_else(|| panic_str("corrupt set index"));
        set_position(&mut moved, at);
        storage_set_json(&set_slot(set_id, at), &moved_pk);
        save_worker(&moved);
    }
    storage_remove(&set_slot(set_id, last));
    if last == 0 {
        storage_remove(&set_count_key(set_id));
    } else {
        storage_set_json(&set_count_key(set_id), &last);
    }
}

/// Removes a worker's record and its three index entries.
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

    remove_from_set(&w.os_set_id, w.os_index, |m, at| m.os_index = at);
    remove_from_set(&w.compose_set_id(), w.compose_index, |m, at| m.compose_index = at);
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
