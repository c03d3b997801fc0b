//! chain-keys: the public registry of addresses the TEE keystore controls for NEAR accounts.
//!
//! Only the tee-dao account may register (its workers call `tee-dao.register_binding`, which
//! forwards here). Before storing, the contract asks the DAO whether the transaction's signer
//! key is a registered worker whose measurements are still approved, and records that
//! attestation next to the binding. It only records bindings: it never adds keys to accounts.
//!
//! Storage rule: the DAO attaches a deposit with every `register_tee_key`; the bytes a new
//! binding adds are charged at the protocol price (10^19 yoctoNEAR per byte) and the rest is
//! refunded to the DAO. A rejected registration refunds the whole deposit.

pub mod address;

use near_host::*;
use serde::{Deserialize, Serialize};

const KEY_CONFIG: &[u8] = b"config";
const KEY_COUNT: &[u8] = b"count";
/// Gas for the DAO's `get_worker` view and for our callback that stores the binding.
const GET_WORKER_GAS: u64 = 10 * TGAS;
const CALLBACK_GAS: u64 = 20 * TGAS;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Config {
    pub dao_contract_id: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TeeAttestation {
    pub tee_type: String,
    pub rtmr3: String,
    pub worker_public_key: String,
    pub verified_at: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Binding {
    pub chain: String,
    pub index: u32,
    pub public_key: String,
    pub address: String,
    pub tee_attestation: TeeAttestation,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AddressEntry {
    pub account_id: String,
    pub chain: String,
    pub index: u32,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct RegisterArgs {
    pub account_id: String,
    pub chain: String,
    pub index: u32,
    pub public_key: String,
    pub address: String,
}

/// What the DAO's `get_worker` view returns (the fields this contract relies on).
#[derive(Deserialize, Clone, Debug)]
pub struct WorkerView {
    pub public_key: String,
    pub measurements: MeasurementsView,
    pub measurements_approved: bool,
}

#[derive(Deserialize, Clone, Debug)]
pub struct MeasurementsView {
    pub rtmr3: String,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
struct CallbackArgs {
    args: RegisterArgs,
    worker_public_key: String,
    deposit: String,
}

/// Result of `register_tee_key` once the cross-contract check has run. The DAO's callback
/// turns `ok: false` into a panic so the worker sees the reason.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RegisterOutcome {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub binding: Option<Binding>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
    pub storage_cost: String,
}

fn config() -> Config {
    storage_get_json(KEY_CONFIG).unwrap_or_else(|| panic_str("contract is not initialized"))
}

// One record per binding, and a dense per-account index for listing: a registration reads and
// writes a bounded number of small records however many bindings the account has (any account's
// owner may have the keystore publish index after index; a per-account list rewritten on each
// registration would make its gas grow until the callback ran out and kept the DAO's deposit).

/// The binding of (account, chain, index). Account ids and chain names contain no ':'.
fn binding_key(account_id: &str, chain: &str, index: u32) -> Vec<u8> {
    format!("b:{}:{}:{}", account_id, chain, index).into_bytes()
}

/// How many bindings the account has; its `i`-th (0-based, in registration order) is named at `bi:{account}:{i}`.
fn account_count_key(account_id: &str) -> Vec<u8> {
    format!("bn:{}", account_id).into_bytes()
}

fn account_slot_key(account_id: &str, i: u64) -> Vec<u8> {
    format!("bi:{}:{}", account_id, i).into_bytes()
}

/// Where an account's `i`-th binding is.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
struct BindingSlot {
    chain: String,
    index: u32,
}

/// EVM addresses are hex whatever their EIP-55 capitalisation, so they are keyed in lowercase and `lookup_address`
/// finds `0xabc…`, `0xABC…` and the checksummed form alike. Other chains' addresses are case-sensitive (base58) and kept.
fn address_key(address: &str) -> Vec<u8> {
    let is_evm = address.len() == 42
        && (address.starts_with("0x") || address.starts_with("0X"))
        && address[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if is_evm {
        format!("a:0x{}", address[2..].to_ascii_lowercase()).into_bytes()
    } else {
        format!("a:{}", address).into_bytes()
    }
}

fn load_binding(account_id: &str, chain: &str, index: u32) -> Option<Binding> {
    storage_get_json(&binding_key(account_id, chain, index))
}

fn account_count(account_id: &str) -> u64 {
    storage_get_json(&account_count_key(account_id)).unwrap_or(0)
}

fn stored_count() -> u64 {
    storage_get_json(KEY_COUNT).unwrap_or(0)
}

/// NEAR's text form of a borsh PublicKey (as `signer_account_pk` returns it).
pub fn public_key_to_string(borsh: &[u8]) -> String {
    match borsh.split_first() {
        Some((0, key)) if key.len() == 32 => format!("ed25519:{}", bs58::encode(key).into_string()),
        Some((1, key)) if key.len() == 64 => format!("secp256k1:{}", bs58::encode(key).into_string()),
        _ => panic_str("unsupported signer public key"),
    }
}

fn is_valid_account_id(id: &str) -> bool {
    // NEAR account ids: 2..64 chars of [a-z0-9._-], separators not leading/trailing/doubled.
    let ok_chars = id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    let seps = |b: u8| b"._-".contains(&b);
    (2..=64).contains(&id.len())
        && ok_chars
        && !seps(id.as_bytes()[0])
        && !seps(id.as_bytes()[id.len() - 1])
        && !id.as_bytes().windows(2).any(|w| seps(w[0]) && seps(w[1]))
}

pub fn new() {
    setup_panic_hook();
    #[derive(Deserialize)]
    struct Args {
        dao_contract_id: String,
    }
    require(!storage_has_key(KEY_CONFIG), "already initialized");
    // Only the account holding the contract may initialize it (deploy + init in one batch).
    require(predecessor_account_id() == current_account_id(), "only the contract account may initialize");
    let a: Args = input_json();
    require(is_valid_account_id(&a.dao_contract_id), "invalid dao_contract_id");
    storage_set_json(KEY_CONFIG, &Config { dao_contract_id: a.dao_contract_id });
    storage_set_json(KEY_COUNT, &0u64);
}

/// Called by the DAO (forwarding a worker's `register_binding`): validates the binding, then
/// asks the DAO about the signer key and stores the binding in `on_worker_checked`.
pub fn register_tee_key() {
    setup_panic_hook();
    let cfg = config();
    require(predecessor_account_id() == cfg.dao_contract_id, "only the tee-dao may register keys");
    let args: RegisterArgs = input_json();
    require(is_valid_account_id(&args.account_id), "invalid account_id");
    if let Err(e) = address::check(&args.chain, &args.public_key, &args.address) {
        panic_str(&e);
    }
    let deposit = attached_deposit();
    let worker_public_key = public_key_to_string(&signer_account_pk());
    let view_args = serde_json::json!({ "public_key": worker_public_key });
    let check = promise_create(
        &cfg.dao_contract_id,
        "get_worker",
        view_args.to_string().as_bytes(),
        0,
        GET_WORKER_GAS,
    );
    let cb_args = CallbackArgs { args, worker_public_key, deposit: deposit.to_string() };
    let cb = promise_then(
        check,
        &current_account_id(),
        "on_worker_checked",
        &serde_json::to_vec(&cb_args).unwrap_or_default(),
        0,
        CALLBACK_GAS,
    );
    promise_return(cb);
}

fn refund(to: &str, amount: u128) {
    if amount > 0 {
        let p = promise_batch_create(to);
        promise_batch_action_transfer(p, amount);
    }
}

fn reject(dao: &str, deposit: u128, error: String) -> RegisterOutcome {
    log_str(&format!("register_tee_key rejected: {}", error));
    refund(dao, deposit);
    RegisterOutcome { ok: false, binding: None, error: Some(error), storage_cost: "0".into() }
}

/// Callback of `register_tee_key`: stores the binding when the DAO vouches for the signer key.
pub fn on_worker_checked() {
    setup_panic_hook();
    require(predecessor_account_id() == current_account_id(), "callback is private");
    let cfg = config();
    let cb: CallbackArgs = input_json();
    let deposit = parse_yocto(&cb.deposit).unwrap_or(0);
    let outcome = store_checked(&cfg, cb, deposit);
    return_json(&outcome);
}

fn store_checked(cfg: &Config, cb: CallbackArgs, deposit: u128) -> RegisterOutcome {
    let dao = cfg.dao_contract_id.as_str();
    if promise_results_count() != 1 {
        return reject(dao, deposit, "expected one promise result".into());
    }
    let worker: Option<WorkerView> = match promise_result(0) {
        PromiseResult::Successful(bytes) => match serde_json::from_slice(&bytes) {
            Ok(w) => w,
            Err(_) => return reject(dao, deposit, "tee-dao returned an unreadable worker".into()),
        },
        _ => return reject(dao, deposit, "tee-dao get_worker failed".into()),
    };
    let worker = match worker {
        Some(w) => w,
        None => return reject(dao, deposit, "signer key is not a registered worker".into()),
    };
    if worker.public_key != cb.worker_public_key {
        return reject(dao, deposit, "tee-dao answered for a different key".into());
    }
    if !worker.measurements_approved {
        return reject(dao, deposit, "worker measurements are no longer approved".into());
    }

    let a = cb.args;
    if let Some(existing) = load_binding(&a.account_id, &a.chain, a.index) {
        // Idempotent: the keystore derives keys deterministically, so the same request may be
        // sent again (retries, restarts). A different key for the same slot is a conflict.
        if existing.public_key == a.public_key && existing.address == a.address {
            refund(dao, deposit);
            return RegisterOutcome { ok: true, binding: Some(existing), error: None, storage_cost: "0".into() };
        }
        return reject(dao, deposit, "a different key is already bound to this account, chain and index".into());
    }
    let akey = address_key(&a.address);
    if let Some(owner) = storage_get_json::<AddressEntry>(&akey) {
        return reject(dao, deposit, format!("address already bound to {}", owner.account_id));
    }

    let before = storage_usage();
    let binding = Binding {
        chain: a.chain.clone(),
        index: a.index,
        public_key: a.public_key.clone(),
        address: a.address.clone(),
        tee_attestation: TeeAttestation {
            tee_type: "tdx".into(),
            rtmr3: worker.measurements.rtmr3,
            worker_public_key: worker.public_key,
            verified_at: block_height(),
        },
    };
    let n = account_count(&a.account_id);
    storage_set_json(&binding_key(&a.account_id, &a.chain, a.index), &binding);
    storage_set_json(&account_slot_key(&a.account_id, n), &BindingSlot { chain: a.chain.clone(), index: a.index });
    storage_set_json(&account_count_key(&a.account_id), &(n + 1));
    storage_set_json(&akey, &AddressEntry { account_id: a.account_id.clone(), chain: a.chain.clone(), index: a.index });
    storage_set_json(KEY_COUNT, &(stored_count() + 1));
    let cost = (storage_usage().saturating_sub(before)) as u128 * STORAGE_PRICE_PER_BYTE;
    if cost > deposit {
        // Undo by hand: a panic here would keep the deposit, which was attached to the first
        // receipt, so the callback restores state and refunds instead.
        storage_remove(&binding_key(&a.account_id, &a.chain, a.index));
        storage_remove(&account_slot_key(&a.account_id, n));
        if n == 0 {
            storage_remove(&account_count_key(&a.account_id));
        } else {
            storage_set_json(&account_count_key(&a.account_id), &n);
        }
        storage_remove(&akey);
        storage_set_json(KEY_COUNT, &(stored_count() - 1));
        return reject(dao, deposit, format!("storage deposit too small: need {} yoctoNEAR", cost));
    }
    refund(dao, deposit - cost);
    log_str(&format!("bound {} {} #{} -> {}", a.account_id, binding.chain, binding.index, binding.address));
    RegisterOutcome { ok: true, binding: Some(binding), error: None, storage_cost: cost.to_string() }
}

/// At most this many bindings per `get_bindings` page, so the view's gas is bounded too.
const MAX_PAGE: u64 = 100;

/// The account's bindings in registration order, one page (`from_index` default 0, `limit` default
/// and at most 100): page on while a full page comes back.
pub fn get_bindings() {
    setup_panic_hook();
    #[derive(Deserialize)]
    struct Args {
        account_id: String,
        #[serde(default)]
        from_index: Option<u64>,
        #[serde(default)]
        limit: Option<u64>,
    }
    let a: Args = input_json();
    let from = a.from_index.unwrap_or(0);
    let end = account_count(&a.account_id).min(from.saturating_add(a.limit.unwrap_or(MAX_PAGE).min(MAX_PAGE)));
    let page: Vec<Binding> = (from..end)
        .filter_map(|i| storage_get_json::<BindingSlot>(&account_slot_key(&a.account_id, i)))
        .filter_map(|slot| load_binding(&a.account_id, &slot.chain, slot.index))
        .collect();
    return_json(&page);
}

pub fn get_binding() {
    setup_panic_hook();
    #[derive(Deserialize)]
    struct Args {
        account_id: String,
        chain: String,
        index: u32,
    }
    let a: Args = input_json();
    return_json(&load_binding(&a.account_id, &a.chain, a.index));
}

pub fn lookup_address() {
    setup_panic_hook();
    #[derive(Deserialize)]
    struct Args {
        address: String,
    }
    #[derive(Serialize)]
    struct Found {
        account_id: String,
        binding: Binding,
    }
    let a: Args = input_json();
    let found = storage_get_json::<AddressEntry>(&address_key(&a.address))
        .and_then(|e| load_binding(&e.account_id, &e.chain, e.index).map(|binding| Found { account_id: e.account_id, binding }));
    return_json(&found);
}

pub fn count() {
    setup_panic_hook();
    return_json(&stored_count());
}

pub fn get_config() {
    setup_panic_hook();
    return_json(&config());
}

export_methods!(new, register_tee_key, on_worker_checked, get_bindings, get_binding, lookup_address, count, get_config);

#[cfg(test)]
mod tests;
