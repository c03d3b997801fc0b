//! Safe wrappers over the runtime imports. Register 0 is used as scratch space: registers live
//! only for the current call, so reusing one id is safe.

use crate::sys;
use crate::{PromiseIndex, PromiseResult};

const REG: u64 = 0;

fn read_reg(register_id: u64) -> Option<Vec<u8>> {
    unsafe {
        let len = sys::register_len(register_id);
        if len == u64::MAX {
            return None;
        }
        let mut buf = vec![0u8; len as usize];
        sys::read_register(register_id, buf.as_mut_ptr() as u64);
        Some(buf)
    }
}

fn reg_string(register_id: u64) -> String {
    String::from_utf8(read_reg(register_id).unwrap_or_default()).unwrap_or_default()
}

pub fn input() -> Option<Vec<u8>> {
    unsafe { sys::input(REG) };
    read_reg(REG)
}

pub fn value_return(value: &[u8]) {
    unsafe { sys::value_return(value.len() as u64, value.as_ptr() as u64) }
}

pub fn panic_str(msg: &str) -> ! {
    unsafe { sys::panic_utf8(msg.len() as u64, msg.as_ptr() as u64) }
}

pub fn log_str(msg: &str) {
    unsafe { sys::log_utf8(msg.len() as u64, msg.as_ptr() as u64) }
}

pub fn current_account_id() -> String {
    unsafe { sys::current_account_id(REG) };
    reg_string(REG)
}

pub fn signer_account_id() -> String {
    unsafe { sys::signer_account_id(REG) };
    reg_string(REG)
}

/// Borsh-serialized PublicKey of the transaction signer: curve byte (0 = ed25519) + key bytes.
pub fn signer_account_pk() -> Vec<u8> {
    unsafe { sys::signer_account_pk(REG) };
    read_reg(REG).unwrap_or_default()
}

pub fn predecessor_account_id() -> String {
    unsafe { sys::predecessor_account_id(REG) };
    reg_string(REG)
}

pub fn block_height() -> u64 {
    unsafe { sys::block_index() }
}

pub fn block_timestamp() -> u64 {
    unsafe { sys::block_timestamp() }
}

pub fn storage_usage() -> u64 {
    unsafe { sys::storage_usage() }
}

pub fn attached_deposit() -> u128 {
    let mut buf = [0u8; 16];
    unsafe { sys::attached_deposit(buf.as_mut_ptr() as u64) };
    u128::from_le_bytes(buf)
}

pub fn account_balance() -> u128 {
    let mut buf = [0u8; 16];
    unsafe { sys::account_balance(buf.as_mut_ptr() as u64) };
    u128::from_le_bytes(buf)
}

pub fn prepaid_gas() -> u64 {
    unsafe { sys::prepaid_gas() }
}

pub fn used_gas() -> u64 {
    unsafe { sys::used_gas() }
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    unsafe { sys::sha256(data.len() as u64, data.as_ptr() as u64, REG) };
    let mut out = [0u8; 32];
    out.copy_from_slice(&read_reg(REG).unwrap_or_default()[..32]);
    out
}

pub fn keccak256(data: &[u8]) -> [u8; 32] {
    unsafe { sys::keccak256(data.len() as u64, data.as_ptr() as u64, REG) };
    let mut out = [0u8; 32];
    out.copy_from_slice(&read_reg(REG).unwrap_or_default()[..32]);
    out
}

pub fn storage_write(key: &[u8], value: &[u8]) -> bool {
    unsafe {
        sys::storage_write(key.len() as u64, key.as_ptr() as u64, value.len() as u64, value.as_ptr() as u64, REG) == 1
    }
}

pub fn storage_read(key: &[u8]) -> Option<Vec<u8>> {
    if unsafe { sys::storage_read(key.len() as u64, key.as_ptr() as u64, REG) } == 1 {
        read_reg(REG)
    } else {
        None
    }
}

pub fn storage_remove(key: &[u8]) -> bool {
    unsafe { sys::storage_remove(key.len() as u64, key.as_ptr() as u64, REG) == 1 }
}

pub fn storage_has_key(key: &[u8]) -> bool {
    unsafe { sys::storage_has_key(key.len() as u64, key.as_ptr() as u64) == 1 }
}

pub fn promise_create(account_id: &str, method: &str, args: &[u8], amount: u128, gas: u64) -> PromiseIndex {
    let amount = amount.to_le_bytes();
    unsafe {
        sys::promise_create(
            account_id.len() as u64,
            account_id.as_ptr() as u64,
            method.len() as u64,
            method.as_ptr() as u64,
            args.len() as u64,
            args.as_ptr() as u64,
            amount.as_ptr() as u64,
            gas,
        )
    }
}

pub fn promise_then(
    after: PromiseIndex,
    account_id: &str,
    method: &str,
    args: &[u8],
    amount: u128,
    gas: u64,
) -> PromiseIndex {
    let amount = amount.to_le_bytes();
    unsafe {
        sys::promise_then(
            after,
            account_id.len() as u64,
            account_id.as_ptr() as u64,
            method.len() as u64,
            method.as_ptr() as u64,
            args.len() as u64,
            args.as_ptr() as u64,
            amount.as_ptr() as u64,
            gas,
        )
    }
}

pub fn promise_batch_create(account_id: &str) -> PromiseIndex {
    unsafe { sys::promise_batch_create(account_id.len() as u64, account_id.as_ptr() as u64) }
}

pub fn promise_batch_then(after: PromiseIndex, account_id: &str) -> PromiseIndex {
    unsafe { sys::promise_batch_then(after, account_id.len() as u64, account_id.as_ptr() as u64) }
}

pub fn promise_batch_action_function_call(p: PromiseIndex, method: &str, args: &[u8], amount: u128, gas: u64) {
    let amount = amount.to_le_bytes();
    unsafe {
        sys::promise_batch_action_function_call(
            p,
            method.len() as u64,
            method.as_ptr() as u64,
            args.len() as u64,
            args.as_ptr() as u64,
            amount.as_ptr() as u64,
            gas,
        )
    }
}

pub fn promise_batch_action_transfer(p: PromiseIndex, amount: u128) {
    let amount = amount.to_le_bytes();
    unsafe { sys::promise_batch_action_transfer(p, amount.as_ptr() as u64) }
}

/// Adds a function-call access key. `public_key` is borsh-serialized (curve byte + key);
/// `method_names` is the runtime's comma-separated list; allowance 0 means unlimited.
pub fn promise_batch_action_add_key_with_function_call(
    p: PromiseIndex,
    public_key: &[u8],
    nonce: u64,
    allowance: u128,
    receiver_id: &str,
    method_names: &str,
) {
    let allowance = allowance.to_le_bytes();
    unsafe {
        sys::promise_batch_action_add_key_with_function_call(
            p,
            public_key.len() as u64,
            public_key.as_ptr() as u64,
            nonce,
            allowance.as_ptr() as u64,
            receiver_id.len() as u64,
            receiver_id.as_ptr() as u64,
            method_names.len() as u64,
            method_names.as_ptr() as u64,
        )
    }
}

pub fn promise_batch_action_delete_key(p: PromiseIndex, public_key: &[u8]) {
    unsafe { sys::promise_batch_action_delete_key(p, public_key.len() as u64, public_key.as_ptr() as u64) }
}

pub fn promise_results_count() -> u64 {
    unsafe { sys::promise_results_count() }
}

pub fn promise_result(index: u64) -> PromiseResult {
    match unsafe { sys::promise_result(index, REG) } {
        1 => PromiseResult::Successful(read_reg(REG).unwrap_or_default()),
        2 => PromiseResult::Failed,
        _ => PromiseResult::NotReady,
    }
}

pub fn promise_return(p: PromiseIndex) {
    unsafe { sys::promise_return(p) }
}
