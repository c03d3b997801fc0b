//! RTMR3 replay against dstack's published quotes and event logs.

use dcap::eventlog::{event_digest, replay, Event};

fn rtmr3_of(quote_hex: &str) -> Vec<u8> {
    let q = hex::decode(quote_hex.trim()).unwrap();
    q[520..568].to_vec()
}

#[test]
fn v055_event_log_with_digests_replays_to_quote_rtmr3() {
    let events: Vec<Event> = serde_json::from_str(include_str!("vectors/eventlog_v055.json")).unwrap();
    let quote_rtmr3 = rtmr3_of(include_str!("vectors/quote_v055.hex"));
    assert!(hex::encode(&quote_rtmr3).starts_with("6d1a3da9"));
    assert_eq!(replay(&events, 3).unwrap().to_vec(), quote_rtmr3);
}

#[test]
fn dstack_056_runtime_events_with_empty_digest_are_recomputed() {
    let v: serde_json::Value = serde_json::from_str(include_str!("vectors/tdx-lite-getquote.json")).unwrap();
    let events: Vec<Event> = serde_json::from_str(v["event_log"].as_str().unwrap()).unwrap();
    assert!(events.iter().any(|e| e.imr == 3 && e.digest.is_empty()));
    let quote_rtmr3 = rtmr3_of(v["quote"].as_str().unwrap());
    assert!(hex::encode(&quote_rtmr3).starts_with("6f24c170"));
    assert_eq!(replay(&events, 3).unwrap().to_vec(), quote_rtmr3);
}

#[test]
fn a_changed_event_breaks_the_replay() {
    let v: serde_json::Value = serde_json::from_str(include_str!("vectors/tdx-lite-getquote.json")).unwrap();
    let mut events: Vec<Event> = serde_json::from_str(v["event_log"].as_str().unwrap()).unwrap();
    let quote_rtmr3 = rtmr3_of(v["quote"].as_str().unwrap());
    let i = events.iter().position(|e| e.imr == 3 && e.digest.is_empty()).unwrap();
    events[i].event_payload.push_str("00");
    assert_ne!(replay(&events, 3).unwrap().to_vec(), quote_rtmr3);
    let bad = Event { imr: 3, event_type: 1, digest: "zz".into(), event: String::new(), event_payload: String::new() };
    assert!(event_digest(&bad).is_err());
}
