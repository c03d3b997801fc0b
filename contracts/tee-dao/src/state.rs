//! Stored types and storage keys of the DAO. Values are JSON (no borsh crate offline); keys
//! are short prefixes so each record costs few bytes of storage stake.

use near_host::*;
use serde::{Deserialize, Serialize};

pub const KEY_CONFIG: &[u8] = b"config";
pub const KEY_ROOT_CA: &[u8] = b"root_ca";
pub const KEY_MEASUREMENTS: &[u8] = b"measurements";
pub const KEY_WORKERS: &[u8] = b"workers";
pub const KEY_NEXT_PROPOSAL: &[u8] = b"next_pid";

/// Methods a worker's function-call access key may call on the DAO account.
pub const WORKER_METHODS: &str = "request_master_secret,register_binding";

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

pub fn worker_index() -> Vec<String> {
    storage_get_json(KEY_WORKERS).unwrap_or_default()
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
