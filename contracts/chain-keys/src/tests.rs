//! Unit tests against the mocked host: each receipt of the register flow is run by hand, the
//! DAO's `get_worker` answer is injected as the promise result of the callback.

use super::*;
use near_host::mock::{self, call, with_state, MockAction};
use serde_json::json;

const DAO: &str = "dao.test.near";
const SELF: &str = "keys.test.near";
const G_XY: &str = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
const ETH_ADDR: &str = "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf";
const DEPOSIT: u128 = ONE_NEAR / 100;

fn worker_pk_borsh() -> Vec<u8> {
    let mut v = vec![0u8];
    v.extend_from_slice(&[5u8; 32]);
    v
}

fn worker_pk_str() -> String {
    format!("ed25519:{}", bs58::encode([5u8; 32]).into_string())
}

fn eth_key() -> String {
    format!("secp256k1:{}", bs58::encode(hex::decode(G_XY).unwrap()).into_string())
}

fn setup() {
    mock::reset();
    with_state(|s| {
        s.current_account_id = SELF.into();
        s.predecessor_account_id = SELF.into();
    });
    call(new, &json!({ "dao_contract_id": DAO }).to_string()).unwrap();
}

fn as_dao(deposit: u128) {
    with_state(|s| {
        s.predecessor_account_id = DAO.into();
        s.signer_account_id = "worker-relayer.test.near".into();
        s.signer_account_pk = worker_pk_borsh();
        s.attached_deposit = deposit;
    });
}

fn eth_args(account: &str) -> String {
    json!({ "account_id": account, "chain": "ethereum", "index": 0, "public_key": eth_key(), "address": ETH_ADDR }).to_string()
}

fn worker_view(approved: bool) -> Vec<u8> {
    json!({
        "public_key": worker_pk_str(),
        "measurements": { "mrtd": "00", "rtmr0": "00", "rtmr1": "00", "rtmr2": "00", "rtmr3": "ab".repeat(48) },
        "tcb_status": "UpToDate",
        "registered_at": 5,
        "measurements_approved": approved
    })
    .to_string()
    .into_bytes()
}

/// Runs register_tee_key as the DAO, then its callback with `answer` as get_worker's result.
fn register(args: &str, answer: PromiseResult) -> RegisterOutcome {
    as_dao(DEPOSIT);
    call(register_tee_key, args).unwrap();
    let calls = mock::function_calls();
    assert_eq!(calls[0].0, DAO);
    assert_eq!(calls[0].1, "get_worker");
    assert_eq!(calls[0].2, json!({ "public_key": worker_pk_str() }));
    assert_eq!(calls[1].1, "on_worker_checked");
    let cb_args = calls[1].2.to_string();
    with_state(|s| {
        s.predecessor_account_id = SELF.into();
        s.attached_deposit = 0;
        s.promise_results = vec![answer];
        s.block_height = 777;
    });
    let out = call(on_worker_checked, &cb_args).unwrap();
    serde_json::from_slice(&out).unwrap()
}

fn refunds() -> Vec<(String, u128)> {
    with_state(|s| {
        s.promises
            .iter()
            .flat_map(|p| p.actions.iter().map(move |a| (p.receiver_id.clone(), a.clone())))
            .filter_map(|(r, a)| match a {
                MockAction::Transfer { amount } => Some((r, amount)),
                _ => None,
            })
            .collect()
    })
}

fn view(method: fn(), args: serde_json::Value) -> serde_json::Value {
    serde_json::from_slice(&call(method, &args.to_string()).unwrap()).unwrap()
}

#[test]
fn init_only_once_and_only_by_self() {
    setup();
    assert_eq!(call(new, &json!({ "dao_contract_id": DAO }).to_string()).unwrap_err(), "already initialized");
    mock::reset();
    with_state(|s| s.current_account_id = SELF.into());
    let err = call(new, &json!({ "dao_contract_id": DAO }).to_string()).unwrap_err();
    assert_eq!(err, "only the contract account may initialize");
    with_state(|s| s.predecessor_account_id = SELF.into());
    call(new, &json!({ "dao_contract_id": DAO }).to_string()).unwrap();
    assert_eq!(view(get_config, json!({})), json!({ "dao_contract_id": DAO }));
}

#[test]
fn registers_binding_with_attestation_and_refunds_excess() {
    setup();
    let out = register(&eth_args("bob.test.near"), PromiseResult::Successful(worker_view(true)));
    assert!(out.ok, "{:?}", out.error);
    let b = out.binding.unwrap();
    assert_eq!(b.tee_attestation.tee_type, "tdx");
    assert_eq!(b.tee_attestation.rtmr3, "ab".repeat(48));
    assert_eq!(b.tee_attestation.worker_public_key, worker_pk_str());
    assert_eq!(b.tee_attestation.verified_at, 777);
    let cost = parse_yocto(&out.storage_cost).unwrap();
    assert!(cost > 0 && cost < DEPOSIT);
    assert_eq!(refunds(), vec![(DAO.to_string(), DEPOSIT - cost)]);

    assert_eq!(view(count, json!({})), json!(1));
    let all = view(get_bindings, json!({ "account_id": "bob.test.near" }));
    assert_eq!(all.as_array().unwrap().len(), 1);
    let one = view(get_binding, json!({ "account_id": "bob.test.near", "chain": "ethereum", "index": 0 }));
    assert_eq!(one["address"], ETH_ADDR);
    let none = view(get_binding, json!({ "account_id": "bob.test.near", "chain": "ethereum", "index": 1 }));
    assert!(none.is_null());
    let found = view(lookup_address, json!({ "address": ETH_ADDR }));
    assert_eq!(found["account_id"], "bob.test.near");
    assert!(view(lookup_address, json!({ "address": "0xnothing" })).is_null());
    // EVM addresses match whatever their capitalisation (EIP-55 checksummed, lowercase, uppercase).
    for variant in [ETH_ADDR.to_lowercase(), format!("0x{}", ETH_ADDR[2..].to_uppercase())] {
        assert_eq!(view(lookup_address, json!({ "address": variant }))["account_id"], "bob.test.near");
    }
    // No access key is ever added by this contract.
    assert!(with_state(|s| s.promises.iter().all(|p| p.actions.iter().all(|a| matches!(a, MockAction::Transfer { .. })))));
}

#[test]
fn same_binding_twice_is_idempotent() {
    setup();
    assert!(register(&eth_args("bob.test.near"), PromiseResult::Successful(worker_view(true))).ok);
    let again = register(&eth_args("bob.test.near"), PromiseResult::Successful(worker_view(true)));
    assert!(again.ok);
    assert_eq!(again.storage_cost, "0");
    assert_eq!(refunds(), vec![(DAO.to_string(), DEPOSIT)]);
    assert_eq!(view(count, json!({})), json!(1));
}

#[test]
fn same_address_for_another_account_is_refused() {
    setup();
    assert!(register(&eth_args("bob.test.near"), PromiseResult::Successful(worker_view(true))).ok);
    let out = register(&eth_args("carol.test.near"), PromiseResult::Successful(worker_view(true)));
    assert!(!out.ok);
    assert!(out.error.unwrap().contains("already bound to bob.test.near"));
    assert_eq!(refunds(), vec![(DAO.to_string(), DEPOSIT)]);
}

#[test]
fn unregistered_worker_is_refused_and_refunded() {
    setup();
    let out = register(&eth_args("bob.test.near"), PromiseResult::Successful(b"null".to_vec()));
    assert_eq!(out.error.as_deref(), Some("signer key is not a registered worker"));
    assert_eq!(refunds(), vec![(DAO.to_string(), DEPOSIT)]);
    assert_eq!(view(count, json!({})), json!(0));
}

#[test]
fn revoked_measurements_or_failed_view_are_refused() {
    setup();
    let out = register(&eth_args("bob.test.near"), PromiseResult::Successful(worker_view(false)));
    assert_eq!(out.error.as_deref(), Some("worker measurements are no longer approved"));
    let out = register(&eth_args("bob.test.near"), PromiseResult::Failed);
    assert_eq!(out.error.as_deref(), Some("tee-dao get_worker failed"));
}

#[test]
fn only_dao_may_register() {
    setup();
    as_dao(DEPOSIT);
    with_state(|s| s.predecessor_account_id = "mallory.test.near".into());
    assert_eq!(call(register_tee_key, &eth_args("bob.test.near")).unwrap_err(), "only the tee-dao may register keys");
}

#[test]
fn callback_is_private() {
    setup();
    with_state(|s| s.predecessor_account_id = DAO.into());
    assert_eq!(call(on_worker_checked, "{}").unwrap_err(), "callback is private");
}

#[test]
fn malformed_addresses_are_refused_before_any_call() {
    setup();
    as_dao(DEPOSIT);
    let bad = json!({ "account_id": "bob.test.near", "chain": "ethereum", "index": 0, "public_key": eth_key(), "address": "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf" });
    assert!(call(register_tee_key, &bad.to_string()).unwrap_err().contains("address does not match"));
    let bad = json!({ "account_id": "bob.test.near", "chain": "bitcoin", "index": 0, "public_key": eth_key(), "address": "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" });
    assert!(call(register_tee_key, &bad.to_string()).is_err());
    let sol = bs58::encode([3u8; 32]).into_string();
    let bad = json!({ "account_id": "bob.test.near", "chain": "solana", "index": 0, "public_key": format!("ed25519:{}", sol), "address": bs58::encode([4u8; 32]).into_string() });
    assert!(call(register_tee_key, &bad.to_string()).is_err());
    let bad = json!({ "account_id": "Bob!", "chain": "solana", "index": 0, "public_key": format!("ed25519:{}", sol), "address": sol });
    assert_eq!(call(register_tee_key, &bad.to_string()).unwrap_err(), "invalid account_id");
    assert!(with_state(|s| s.promises.is_empty()));
}

#[test]
fn solana_and_bitcoin_bindings_register() {
    setup();
    let sol = bs58::encode([3u8; 32]).into_string();
    let args = json!({ "account_id": "bob.test.near", "chain": "solana", "index": 2, "public_key": format!("ed25519:{}", sol), "address": sol });
    assert!(register(&args.to_string(), PromiseResult::Successful(worker_view(true))).ok);
    let args = json!({ "account_id": "bob.test.near", "chain": "bitcoin", "index": 0,
        "public_key": "cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115",
        "address": "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr" });
    assert!(register(&args.to_string(), PromiseResult::Successful(worker_view(true))).ok);
    assert_eq!(view(get_bindings, json!({ "account_id": "bob.test.near" })).as_array().unwrap().len(), 2);
}

#[test]
fn too_small_deposit_restores_state_and_refunds() {
    setup();
    as_dao(1);
    call(register_tee_key, &eth_args("bob.test.near")).unwrap();
    let cb_args = mock::function_calls()[1].2.to_string();
    with_state(|s| {
        s.predecessor_account_id = SELF.into();
        s.promise_results = vec![PromiseResult::Successful(worker_view(true))];
    });
    let out: RegisterOutcome = serde_json::from_slice(&call(on_worker_checked, &cb_args).unwrap()).unwrap();
    assert!(out.error.unwrap().starts_with("storage deposit too small"));
    assert_eq!(refunds(), vec![(DAO.to_string(), 1)]);
    assert_eq!(view(count, json!({})), json!(0));
    assert!(view(lookup_address, json!({ "address": ETH_ADDR })).is_null());
    assert_eq!(view(get_bindings, json!({ "account_id": "bob.test.near" })), json!([]));
    // Nothing but the configuration and the count is left behind.
    assert_eq!(with_state(|s| s.storage.keys().cloned().collect::<Vec<_>>()), vec![b"config".to_vec(), b"count".to_vec()]);
}

/// A distinct solana binding per `i` (the address is the base58 of the key).
fn solana_args(account: &str, i: u32) -> String {
    let mut key = [7u8; 32];
    key[..4].copy_from_slice(&i.to_le_bytes());
    let sol = bs58::encode(key).into_string();
    json!({ "account_id": account, "chain": "solana", "index": i, "public_key": format!("ed25519:{}", sol), "address": sol }).to_string()
}

/// Any NEAR account's owner may have the keystore publish index after index for it: what one
/// registration reads and writes must not grow with the account's bindings (its gas would, until
/// the callback runs out of gas and keeps the DAO's deposit), and the listing is paged.
#[test]
fn an_accounts_many_bindings_cost_each_registration_the_same_and_are_listed_in_pages() {
    setup();
    for i in 0..300u32 {
        assert!(register(&solana_args("bob.test.near", i), PromiseResult::Successful(worker_view(true))).ok);
    }
    let largest = with_state(|s| s.storage.values().map(|v| v.len()).max().unwrap());
    assert!(largest < 1024, "a {}-byte record grows with the account's bindings", largest);
    assert_eq!(view(count, json!({})), json!(300));
    let page = view(get_bindings, json!({ "account_id": "bob.test.near" }));
    assert_eq!(page.as_array().unwrap().len(), 100);
    assert_eq!((page[0]["index"].clone(), page[99]["index"].clone()), (json!(0), json!(99)));
    let page = view(get_bindings, json!({ "account_id": "bob.test.near", "from_index": 250, "limit": 1000 }));
    assert_eq!(page.as_array().unwrap().len(), 50);
    assert_eq!(page[0]["index"], 250);
    assert_eq!(view(get_binding, json!({ "account_id": "bob.test.near", "chain": "solana", "index": 299 }))["index"], 299);
    let address = serde_json::from_str::<serde_json::Value>(&solana_args("bob.test.near", 150)).unwrap()["address"].clone();
    let found = view(lookup_address, json!({ "address": address }));
    assert_eq!((found["account_id"].as_str(), found["binding"]["index"].as_u64()), (Some("bob.test.near"), Some(150)));
    // The same slot again is still idempotent, another key for it still refused.
    assert_eq!(register(&solana_args("bob.test.near", 7), PromiseResult::Successful(worker_view(true))).storage_cost, "0");
    let mut other: serde_json::Value = serde_json::from_str(&solana_args("bob.test.near", 1000)).unwrap();
    other["index"] = json!(7);
    let out = register(&other.to_string(), PromiseResult::Successful(worker_view(true)));
    assert!(out.error.unwrap().starts_with("a different key is already bound"));
    assert_eq!(view(count, json!({})), json!(300));
}


/// The largest binding (a 64-character account id, an ethereum address, the highest index) with its
/// records fits in tee-dao's default `binding_deposit` (0.02 NEAR), which chain-keys charges from.
#[test]
fn the_largest_binding_fits_in_the_daos_default_deposit() {
    setup();
    let account = "a".repeat(64);
    let mut args: serde_json::Value = serde_json::from_str(&eth_args(&account)).unwrap();
    args["index"] = json!(u32::MAX);
    as_dao(ONE_NEAR / 50);
    call(register_tee_key, &args.to_string()).unwrap();
    let cb_args = mock::function_calls()[1].2.to_string();
    with_state(|s| {
        s.predecessor_account_id = SELF.into();
        s.promise_results = vec![PromiseResult::Successful(worker_view(true))];
    });
    let out: RegisterOutcome = serde_json::from_slice(&call(on_worker_checked, &cb_args).unwrap()).unwrap();
    assert!(out.ok, "{:?}", out.error);
    let bytes = parse_yocto(&out.storage_cost).unwrap() / STORAGE_PRICE_PER_BYTE;
    assert!(bytes < 1200, "{} bytes", bytes);
}
