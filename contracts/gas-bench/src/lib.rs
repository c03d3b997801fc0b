//! `bench_dcap_verify` runs exactly what `register_worker_key` runs for DCAP (collateral JSON
//! parsing + full verification of the local test quote) in a wasm module without imports, so
//! wabt's `wasm-interp --trace` can count the executed instructions (see measure-gas.sh).
//! NEAR charges gas per executed wasm instruction, so the count bounds the contract's cost.

const QUOTE: &[u8] = include_bytes!("../../dcap/tests/vectors/local/quote.bin");
const ROOT: &[u8] = include_bytes!("../../dcap/tests/vectors/local/root_ca.der");
const COLLATERAL: &str = include_str!("../../dcap/tests/vectors/local/collateral.json");
const NOW: u64 = 1767571200;

#[cfg(not(feature = "p256-only"))]
#[no_mangle]
pub extern "C" fn bench_dcap_verify() -> i32 {
    let c: dcap::Collateral = match serde_json::from_str(COLLATERAL) {
        Ok(c) => c,
        Err(_) => return -1,
    };
    match dcap::verify(QUOTE, &c, NOW, ROOT) {
        Ok(v) if v.status == "UpToDate" => 1,
        _ => 0,
    }
}

/// One P-256 verification (the local quote's signature over its header and TD report),
/// bypassing the verification cache so the curve arithmetic is counted.
#[no_mangle]
pub extern "C" fn bench_p256_verify() -> i32 {
    use sha2::Digest;
    let q = match dcap::quote::Quote::parse(QUOTE) {
        Ok(q) => q,
        Err(_) => return -1,
    };
    let digest: [u8; 32] = sha2::Sha256::digest(&q.signed).into();
    dcap::p256::verify_prehashed(&q.attestation_key, &digest, &q.signature) as i32
}
