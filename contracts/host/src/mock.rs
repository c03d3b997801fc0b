//! Native stand-in for the NEAR runtime, backed by thread-local state (each test thread has its
//! own chain). `call` models one receipt: a panic reverts storage and drops the promises the
//! call created, exactly as a failed receipt does on chain.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};

use crate::PromiseResult;

/// Payload of a contract-initiated abort (`panic_str`). Raised with `resume_unwind`, which
/// skips the panic hook, so expected rejections do not clutter test output.
#[derive(Debug, Clone)]
pub struct HostPanic(pub String);

/// An action recorded on a promise, for tests to inspect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MockAction {
    FunctionCall { method: String, args: Vec<u8>, deposit: u128, gas: u64 },
    Transfer { amount: u128 },
    AddKeyWithFunctionCall {
        public_key: Vec<u8>,
        nonce: u64,
        allowance: u128,
        receiver_id: String,
        method_names: String,
    },
    DeleteKey { public_key: Vec<u8> },
}

/// A promise recorded by the mock: its receiver, the promise it waits for, and its actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockPromise {
    pub receiver_id: String,
    pub after: Option<u64>,
    pub actions: Vec<MockAction>,
}

/// The execution context and state of the simulated account.
#[derive(Debug, Clone)]
pub struct MockState {
    pub current_account_id: String,
    pub signer_account_id: String,
    pub signer_account_pk: Vec<u8>,
    pub predecessor_account_id: String,
    pub input: Vec<u8>,
    pub block_height: u64,
    pub block_timestamp: u64,
    pub attached_deposit: u128,
    pub account_balance: u128,
    pub prepaid_gas: u64,
    pub used_gas: u64,
    pub storage: BTreeMap<Vec<u8>, Vec<u8>>,
    pub logs: Vec<String>,
    pub return_value: Option<Vec<u8>>,
    pub promises: Vec<MockPromise>,
    pub promise_results: Vec<PromiseResult>,
    pub returned_promise: Option<u64>,
}

impl Default for MockState {
    fn default() -> Self {
        MockState {
            current_account_id: "contract.test.near".into(),
            signer_account_id: "alice.test.near".into(),
            signer_account_pk: {
                let mut pk = vec![0u8];
                pk.extend_from_slice(&[7u8; 32]);
                pk
            },
            predecessor_account_id: "alice.test.near".into(),
            input: Vec::new(),
            block_height: 100,
            block_timestamp: 1_700_000_000_000_000_000,
            attached_deposit: 0,
            account_balance: 100 * crate::ONE_NEAR,
            prepaid_gas: 300 * crate::TGAS,
            used_gas: 0,
            storage: BTreeMap::new(),
            logs: Vec::new(),
            return_value: None,
            promises: Vec::new(),
            promise_results: Vec::new(),
            returned_promise: None,
        }
    }
}

thread_local! {
    static STATE: RefCell<MockState> = RefCell::new(MockState::default());
}

/// Runs `f` with mutable access to this thread's mock state.
pub fn with_state<R>(f: impl FnOnce(&mut MockState) -> R) -> R {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

/// Starts a fresh chain for this thread.
pub fn reset() {
    with_state(|s| *s = MockState::default());
}

/// Executes `method` as one receipt with JSON `args`. Returns the value it returned (empty if
/// none) or the abort message; on abort, storage and promises are rolled back.
pub fn call(method: fn(), args: &str) -> Result<Vec<u8>, String> {
    call_with(|| method(), args)
}

/// Like `call`, for any closure (host-level tests).
pub fn call_with(method: impl FnOnce(), args: &str) -> Result<Vec<u8>, String> {
    let snapshot = with_state(|s| {
        s.input = args.as_bytes().to_vec();
        s.return_value = None;
        s.promises.clear();
        s.returned_promise = None;
        s.logs.clear();
        s.storage.clone()
    });
    match panic::catch_unwind(AssertUnwindSafe(method)) {
        Ok(()) => Ok(with_state(|s| s.return_value.clone().unwrap_or_default())),
        Err(payload) => {
            with_state(|s| {
                s.storage = snapshot;
                s.promises.clear();
                s.returned_promise = None;
                s.return_value = None;
            });
            let msg = if let Some(p) = payload.downcast_ref::<HostPanic>() {
                p.0.clone()
            } else if let Some(s) = payload.downcast_ref::<String>() {
                format!("rust panic: {}", s)
            } else if let Some(s) = payload.downcast_ref::<&str>() {
                format!("rust panic: {}", s)
            } else {
                "rust panic".to_string()
            };
            Err(msg)
        }
    }
}

/// Function-call actions of the recorded promises, as (receiver, method, JSON args, deposit, gas).
pub fn function_calls() -> Vec<(String, String, serde_json::Value, u128, u64)> {
    with_state(|s| {
        let mut out = Vec::new();
        for p in &s.promises {
            for a in &p.actions {
                if let MockAction::FunctionCall { method, args, deposit, gas } = a {
                    let json = serde_json::from_slice(args).unwrap_or(serde_json::Value::Null);
                    out.push((p.receiver_id.clone(), method.clone(), json, *deposit, *gas));
                }
            }
        }
        out
    })
}

/// The host functions, implemented over the thread-local state.
pub mod api {
    use super::*;
    use crate::PromiseIndex;
    use sha2::Digest;

    pub fn input() -> Option<Vec<u8>> {
        with_state(|s| Some(s.input.clone()))
    }
    pub fn value_return(value: &[u8]) {
        with_state(|s| s.return_value = Some(value.to_vec()))
    }
    pub fn panic_str(msg: &str) -> ! {
        panic::resume_unwind(Box::new(HostPanic(msg.to_string())))
    }
    pub fn log_str(msg: &str) {
        with_state(|s| s.logs.push(msg.to_string()))
    }
    pub fn current_account_id() -> String {
        with_state(|s| s.current_account_id.clone())
    }
    pub fn signer_account_id() -> String {
        with_state(|s| s.signer_account_id.clone())
    }
    pub fn signer_account_pk() -> Vec<u8> {
        with_state(|s| s.signer_account_pk.clone())
    }
    pub fn predecessor_account_id() -> String {
        with_state(|s| s.predecessor_account_id.clone())
    }
    pub fn block_height() -> u64 {
        with_state(|s| s.block_height)
    }
    pub fn block_timestamp() -> u64 {
        with_state(|s| s.block_timestamp)
    }
    /// Bytes of state as the runtime counts them: key + value + 40 bytes of record overhead.
    pub fn storage_usage() -> u64 {
        with_state(|s| s.storage.iter().map(|(k, v)| (k.len() + v.len() + 40) as u64).sum())
    }
    pub fn attached_deposit() -> u128 {
        with_state(|s| s.attached_deposit)
    }
    pub fn account_balance() -> u128 {
        with_state(|s| s.account_balance)
    }
    pub fn prepaid_gas() -> u64 {
        with_state(|s| s.prepaid_gas)
    }
    pub fn used_gas() -> u64 {
        with_state(|s| s.used_gas)
    }
    pub fn sha256(data: &[u8]) -> [u8; 32] {
        sha2::Sha256::digest(data).into()
    }
    pub fn keccak256(data: &[u8]) -> [u8; 32] {
        sha3::Keccak256::digest(data).into()
    }
    pub fn storage_write(key: &[u8], value: &[u8]) -> bool {
        with_state(|s| s.storage.insert(key.to_vec(), value.to_vec()).is_some())
    }
    pub fn storage_read(key: &[u8]) -> Option<Vec<u8>> {
        with_state(|s| s.storage.get(key).cloned())
    }
    pub fn storage_remove(key: &[u8]) -> bool {
        with_state(|s| s.storage.remove(key).is_some())
    }
    pub fn storage_has_key(key: &[u8]) -> bool {
        with_state(|s| s.storage.contains_key(key))
    }

    fn push_promise(receiver_id: &str, after: Option<u64>, actions: Vec<MockAction>) -> PromiseIndex {
        with_state(|s| {
            if let Some(a) = after {
                if a as usize >= s.promises.len() {
                    panic_str("invalid promise index");
                }
            }
            s.promises.push(MockPromise { receiver_id: receiver_id.to_string(), after, actions });
            (s.promises.len() - 1) as u64
        })
    }
    fn push_action(p: PromiseIndex, action: MockAction) {
        let ok = with_state(|s| match s.promises.get_mut(p as usize) {
            Some(promise) => {
                promise.actions.push(action);
                true
            }
            None => false,
        });
        if !ok {
            panic_str("invalid promise index");
        }
    }
    fn check_gas(gas: u64) {
        if gas > prepaid_gas() {
            panic_str("exceeded the prepaid gas");
        }
    }

    pub fn promise_create(account_id: &str, method: &str, args: &[u8], amount: u128, gas: u64) -> PromiseIndex {
        check_gas(gas);
        let action = MockAction::FunctionCall { method: method.into(), args: args.to_vec(), deposit: amount, gas };
        push_promise(account_id, None, vec![action])
    }
    pub fn promise_then(after: PromiseIndex, account_id: &str, method: &str, args: &[u8], amount: u128, gas: u64) -> PromiseIndex {
        check_gas(gas);
        let action = MockAction::FunctionCall { method: method.into(), args: args.to_vec(), deposit: amount, gas };
        push_promise(account_id, Some(after), vec![action])
    }
    pub fn promise_batch_create(account_id: &str) -> PromiseIndex {
        push_promise(account_id, None, Vec::new())
    }
    pub fn promise_batch_then(after: PromiseIndex, account_id: &str) -> PromiseIndex {
        push_promise(account_id, Some(after), Vec::new())
    }
    pub fn promise_batch_action_function_call(p: PromiseIndex, method: &str, args: &[u8], amount: u128, gas: u64) {
        check_gas(gas);
        push_action(p, MockAction::FunctionCall { method: method.into(), args: args.to_vec(), deposit: amount, gas })
    }
    pub fn promise_batch_action_transfer(p: PromiseIndex, amount: u128) {
        push_action(p, MockAction::Transfer { amount })
    }
    pub fn promise_batch_action_add_key_with_function_call(
        p: PromiseIndex,
        public_key: &[u8],
        nonce: u64,
        allowance: u128,
        receiver_id: &str,
        method_names: &str,
    ) {
        // The runtime rejects keys that are not a borsh PublicKey; so does the mock.
        if !(public_key.len() == 33 && public_key[0] == 0 || public_key.len() == 65 && public_key[0] == 1) {
            panic_str("invalid public key");
        }
        push_action(
            p,
            MockAction::AddKeyWithFunctionCall {
                public_key: public_key.to_vec(),
                nonce,
                allowance,
                receiver_id: receiver_id.into(),
                method_names: method_names.into(),
            },
        )
    }
    pub fn promise_batch_action_delete_key(p: PromiseIndex, public_key: &[u8]) {
        push_action(p, MockAction::DeleteKey { public_key: public_key.to_vec() })
    }
    pub fn promise_results_count() -> u64 {
        with_state(|s| s.promise_results.len() as u64)
    }
    pub fn promise_result(index: u64) -> PromiseResult {
        match with_state(|s| s.promise_results.get(index as usize).cloned()) {
            Some(r) => r,
            None => panic_str("invalid promise result index"),
        }
    }
    pub fn promise_return(p: PromiseIndex) {
        with_state(|s| s.returned_promise = Some(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::*;

    #[test]
    fn storage_roundtrip_and_rollback_on_abort() {
        reset();
        let ok = call_with(|| {
            storage_write(b"k", b"v1");
            value_return(b"done");
        }, "{}");
        assert_eq!(ok.unwrap(), b"done".to_vec());
        let err = call_with(|| {
            storage_write(b"k", b"v2");
            promise_batch_create("x.near");
            panic_str("nope");
        }, "{}");
        assert_eq!(err.unwrap_err(), "nope");
        assert_eq!(storage_read(b"k").unwrap(), b"v1".to_vec());
        assert!(with_state(|s| s.promises.is_empty()));
    }

    #[test]
    fn input_json_rejects_bad_json_with_message() {
        reset();
        let err = call_with(|| {
            let _: serde_json::Value = input_json();
        }, "{not json").unwrap_err();
        assert!(err.starts_with("invalid arguments"), "{}", err);
    }

    #[test]
    fn promises_record_actions_and_validate_indexes() {
        reset();
        call_with(|| {
            let p = promise_create("a.near", "m", b"{}", 1, 10 * TGAS);
            let cb = promise_then(p, "self.near", "cb", b"{}", 0, 5 * TGAS);
            assert_eq!(cb, 1);
            let b = promise_batch_create("self.near");
            let mut key = vec![0u8];
            key.extend_from_slice(&[1u8; 32]);
            promise_batch_action_add_key_with_function_call(b, &key, 0, ONE_NEAR, "self.near", "a,b");
            promise_return(cb);
        }, "{}").unwrap();
        let promises = with_state(|s| s.promises.clone());
        assert_eq!(promises.len(), 3);
        assert_eq!(promises[1].after, Some(0));
        assert!(matches!(promises[2].actions[0], MockAction::AddKeyWithFunctionCall { allowance, .. } if allowance == ONE_NEAR));
        let err = call_with(|| { promise_then(9, "x", "m", b"", 0, TGAS); }, "{}").unwrap_err();
        assert_eq!(err, "invalid promise index");
        let err = call_with(|| { promise_create("x", "m", b"", 0, 301 * TGAS); }, "{}").unwrap_err();
        assert_eq!(err, "exceeded the prepaid gas");
    }

    #[test]
    fn hashes_match_known_values() {
        assert_eq!(
            sha256(b"abc")[..4],
            [0xba, 0x78, 0x16, 0xbf]
        );
        // keccak256("") = c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470
        assert_eq!(keccak256(b"")[..4], [0xc5, 0xd2, 0x46, 0x01]);
    }

    #[test]
    fn parse_yocto_accepts_only_decimal() {
        assert_eq!(parse_yocto("1000"), Some(1000));
        assert_eq!(parse_yocto("-1"), None);
        assert_eq!(parse_yocto(""), None);
        assert_eq!(parse_yocto("1e24"), None);
    }
}
