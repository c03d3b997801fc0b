//! RTMR replay from a dstack event log: RTMR = SHA384(RTMR ‖ digest), from 48 zero bytes, over
//! the events of one IMR in order. dstack ≥ 0.5.6 leaves runtime events' digest empty; it is
//! then SHA384(u32_le(event_type) ‖ ":" ‖ event ‖ ":" ‖ payload) (vectors README).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha384};

#[derive(Deserialize, Serialize, Clone, Debug)]
pub struct Event {
    pub imr: u32,
    pub event_type: u32,
    #[serde(default)]
    pub digest: String,
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub event_payload: String,
}

/// The 48-byte digest an event extends its RTMR with.
pub fn event_digest(e: &Event) -> Result<[u8; 48], String> {
    if e.digest.is_empty() {
        let payload = hex::decode(&e.event_payload).map_err(|_| "event log: payload is not hex")?;
        let mut h = Sha384::new();
        h.update(e.event_type.to_le_bytes());
        h.update(b":");
        h.update(e.event.as_bytes());
        h.update(b":");
        h.update(&payload);
        return Ok(h.finalize().into());
    }
    let d = hex::decode(&e.digest).map_err(|_| "event log: digest is not hex")?;
    if d.len() != 48 {
        return Err("event log: digest must be 48 bytes".into());
    }
    let mut out = [0u8; 48];
    out.copy_from_slice(&d);
    Ok(out)
}

/// Replays the events of `imr` and returns the resulting RTMR.
pub fn replay(events: &[Event], imr: u32) -> Result<[u8; 48], String> {
    let mut rtmr = [0u8; 48];
    for e in events.iter().filter(|e| e.imr == imr) {
        let d = event_digest(e)?;
        let mut h = Sha384::new();
        h.update(rtmr);
        h.update(d);
        rtmr = h.finalize().into();
    }
    Ok(rtmr)
}
