//! Typed access to the NEAR runtime for contracts written without near-sdk.
//!
//! On `wasm32` every function calls the real host import (see `sys`). Everywhere else the same
//! functions run against a thread-local mock (see `mock`), so contract logic is unit-tested
//! natively with the very code that ships on chain.

use serde::de::DeserializeOwned;
use serde::Serialize;

#[cfg(target_arch = "wasm32")]
mod sys;
#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
pub use wasm::*;

#[cfg(not(target_arch = "wasm32"))]
pub mod mock;
#[cfg(not(target_arch = "wasm32"))]
pub use mock::api::*;

/// Index of a promise created in this call (as the runtime numbers them).
pub type PromiseIndex = u64;

/// One teragas, the unit gas is usually budgeted in.
pub const TGAS: u64 = 1_000_000_000_000;
/// One NEAR in yoctoNEAR.
pub const ONE_NEAR: u128 = 1_000_000_000_000_000_000_000_000;
/// Storage staking price: 10^19 yoctoNEAR per byte (1 NEAR per 100 kB), the protocol value.
pub const STORAGE_PRICE_PER_BYTE: u128 = 10_000_000_000_000_000_000;

/// Outcome of a promise this callback depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromiseResult {
    NotReady,
    Successful(Vec<u8>),
    Failed,
}

/// Aborts the call with `msg`, which the runtime reports as the failure reason.
pub fn require(cond: bool, msg: &str) {
    if !cond {
        panic_str(msg);
    }
}

/// Reads the call's input as JSON, the way `near call` sends arguments.
pub fn input_json<T: DeserializeOwned>() -> T {
    let raw = input().unwrap_or_default();
    // `near call` sends "{}" for "no arguments"; an empty input means the same.
    let raw = if raw.is_empty() { b"{}".to_vec() } else { raw };
    match serde_json::from_slice(&raw) {
        Ok(v) => v,
        Err(e) => panic_str(&format!("invalid arguments: {}", e)),
    }
}

/// Returns `value` as the call's JSON result.
pub fn return_json<T: Serialize>(value: &T) {
    let bytes = serde_json::to_vec(value).unwrap_or_else(|_| panic_str("cannot serialize result"));
    value_return(&bytes);
}

/// Reads a JSON value from contract storage.
pub fn storage_get_json<T: DeserializeOwned>(key: &[u8]) -> Option<T> {
    storage_read(key).map(|raw| {
        serde_json::from_slice(&raw).unwrap_or_else(|_| panic_str("corrupt state"))
    })
}

/// Writes a JSON value to contract storage.
pub fn storage_set_json<T: Serialize>(key: &[u8], value: &T) {
    let bytes = serde_json::to_vec(value).unwrap_or_else(|_| panic_str("cannot serialize state"));
    storage_write(key, &bytes);
}

/// Parses a yoctoNEAR amount written as a decimal string (JSON cannot carry u128 numbers).
pub fn parse_yocto(s: &str) -> Option<u128> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Routes Rust panics (unwrap, overflow, index) to `panic_utf8` so the runtime reports their
/// message instead of a bare "wasm unreachable". Call first in every exported method.
pub fn setup_panic_hook() {
    #[cfg(target_arch = "wasm32")]
    {
        std::panic::set_hook(Box::new(|info| {
            let msg = info.to_string();
            panic_str(&msg);
        }));
    }
}

/// Exports contract methods under their own names for the runtime. Methods are written as
/// plain Rust functions (so native tests can unwind through them); on wasm32 this macro adds
/// the `#[no_mangle] extern "C"` shims the runtime calls.
#[macro_export]
macro_rules! export_methods {
    ($($name:ident),* $(,)?) => {
        #[cfg(target_arch = "wasm32")]
        mod __near_exports {
            $(
                #[no_mangle]
                pub extern "C" fn $name() {
                    super::$name()
                }
            )*
        }
    };
}
