//! The keystore's audit-log head, anchored here by its workers so that a keystore can refuse, at
//! boot, a state database older than what it already published (a rollback that would reset
//! spending windows or drop audit entries). One head per DAO: every worker of the DAO shares the
//! master secret, so they share one store and one log.

use crate::workers;
use near_host::*;
use serde::{Deserialize, Serialize};

pub const KEY_AUDIT_ANCHOR: &[u8] = b"audit";

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AuditAnchor {
    pub sequence: u64,
    /// Lowercase hex of the 32-byte entry hash at `sequence`.
    pub hash: String,
    pub worker: String,
    pub block_height: u64,
    pub timestamp_ns: u64,
}

/// Called with a worker's function-call key. The sequence never goes back, and an anchored
/// sequence keeps its hash: a worker that saw another history cannot overwrite the head.
/// One storage record rewritten in place, so the gas is bounded and the storage does not grow.
pub fn anchor_audit_head() {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Args {
        sequence: u64,
        hash: String,
    }
    let worker = workers::require_worker();
    let a: Args = input_json();
    require(
        a.hash.len() == 64 && a.hash.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')),
        "hash must be 64 lowercase hex characters",
    );
    if let Some(previous) = storage_get_json::<AuditAnchor>(KEY_AUDIT_ANCHOR) {
        if a.sequence < previous.sequence {
            panic_str(&format!("audit sequence must grow: {} is anchored, {} is older", previous.sequence, a.sequence));
        }
        if a.sequence == previous.sequence {
            require(a.hash == previous.hash, "this audit sequence is anchored with another hash");
            return_json(&previous);
            return;
        }
    }
    let anchor = AuditAnchor {
        sequence: a.sequence,
        hash: a.hash,
        worker: worker.public_key,
        block_height: block_height(),
        timestamp_ns: block_timestamp(),
    };
    storage_set_json(KEY_AUDIT_ANCHOR, &anchor);
    return_json(&anchor);
}

/// The latest anchored head, or null before the first anchor.
pub fn get_audit_anchor() {
    return_json(&storage_get_json::<AuditAnchor>(KEY_AUDIT_ANCHOR));
}
