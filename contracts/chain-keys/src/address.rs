//! Address checks per chain. Where the runtime offers the hash (keccak256) the address is
//! recomputed from the public key; Bitcoin Taproot addresses commit to a BIP341-tweaked key,
//! which needs secp256k1 point arithmetic the runtime does not expose, so only their format
//! (bech32m, witness v1, 32-byte program) is checked.

use near_host::keccak256;

/// Decodes `<curve>:<base58>` into the key bytes, checking the curve name and the length.
pub fn decode_key(s: &str, curve: &str, len: usize) -> Result<Vec<u8>, String> {
    let prefix = format!("{}:", curve);
    if !s.starts_with(&prefix) {
        return Err(format!("public_key must start with \"{}\"", prefix));
    }
    let bytes = bs58::decode(&s[prefix.len()..])
        .into_vec()
        .map_err(|_| "public_key is not valid base58".to_string())?;
    if bytes.len() != len {
        return Err(format!("public_key must be {} bytes", len));
    }
    Ok(bytes)
}

/// EIP-55 mixed-case checksum address of an uncompressed secp256k1 key (x ‖ y, 64 bytes).
pub fn ethereum_address(xy: &[u8]) -> String {
    let hash = keccak256(xy);
    let lower = hex::encode(&hash[12..]);
    let case_hash = keccak256(lower.as_bytes());
    let mut out = String::from("0x");
    for (i, c) in lower.chars().enumerate() {
        let nibble = (case_hash[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0x0f;
        if c.is_ascii_alphabetic() && nibble >= 8 {
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

pub fn check_ethereum(public_key: &str, address: &str) -> Result<(), String> {
    let xy = decode_key(public_key, "secp256k1", 64)?;
    let expected = ethereum_address(&xy);
    if address != expected {
        return Err(format!("address does not match public_key (expected EIP-55 {})", expected));
    }
    Ok(())
}

pub fn check_solana(public_key: &str, address: &str) -> Result<(), String> {
    let key = decode_key(public_key, "ed25519", 32)?;
    if address != bs58::encode(&key).into_string() {
        return Err("address does not match public_key (expected base58 of the key)".into());
    }
    Ok(())
}

const BECH32_CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32M_CONST: u32 = 0x2bc8_30a3;

fn polymod(values: &[u8]) -> u32 {
    const GEN: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = (chk & 0x01ff_ffff) << 5 ^ (*v as u32);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// Checks a Taproot (P2TR) address: bech32m (BIP350), hrp bc/tb/bcrt, witness version 1,
/// 32-byte witness program. The key itself must be a secp256k1 key (see the module comment).
pub fn check_bitcoin(public_key: &str, address: &str) -> Result<(), String> {
    // The keystore publishes either the full key or the x-only internal key (BIP340).
    let key_ok = decode_key(public_key, "secp256k1", 64).is_ok()
        || (public_key.len() == 64 && hex::decode(public_key).is_ok());
    if !key_ok {
        return Err("public_key must be secp256k1:<base58 x||y> or 32-byte x-only hex".into());
    }
    if address.len() > 90 || address.to_ascii_lowercase() != address {
        return Err("bitcoin address must be lowercase bech32m".into());
    }
    let sep = address.rfind('1').ok_or("bitcoin address has no separator")?;
    let (hrp, data) = (&address[..sep], &address[sep + 1..]);
    if !matches!(hrp, "bc" | "tb" | "bcrt") {
        return Err("bitcoin address must be bc1p/tb1p/bcrt1p".into());
    }
    let mut values = Vec::with_capacity(data.len());
    for c in data.bytes() {
        match BECH32_CHARSET.iter().position(|x| *x == c) {
            Some(v) => values.push(v as u8),
            None => return Err("bitcoin address has a non-bech32 character".into()),
        }
    }
    if values.len() < 7 {
        return Err("bitcoin address too short".into());
    }
    let mut expanded: Vec<u8> = hrp.bytes().map(|b| b >> 5).collect();
    expanded.push(0);
    expanded.extend(hrp.bytes().map(|b| b & 31));
    expanded.extend_from_slice(&values);
    if polymod(&expanded) != BECH32M_CONST {
        return Err("bitcoin address checksum is not bech32m".into());
    }
    let payload = &values[..values.len() - 6];
    if payload[0] != 1 {
        return Err("bitcoin address is not witness version 1 (taproot)".into());
    }
    // Regroup the 5-bit words after the version into bytes; padding must be zero.
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut program = Vec::new();
    for v in &payload[1..] {
        acc = (acc << 5) | *v as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            program.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 5 || acc != 0 {
        return Err("bitcoin address has invalid padding".into());
    }
    if program.len() != 32 {
        return Err("taproot witness program must be 32 bytes".into());
    }
    Ok(())
}

/// Dispatches on the chain name; unknown chains are refused.
pub fn check(chain: &str, public_key: &str, address: &str) -> Result<(), String> {
    match chain {
        "ethereum" => check_ethereum(public_key, address),
        "solana" => check_solana(public_key, address),
        "bitcoin" => check_bitcoin(public_key, address),
        _ => Err(format!("unsupported chain \"{}\" (ethereum, bitcoin, solana)", chain)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // secp256k1 generator G = public key of private key 1; its address is a well-known value.
    const G_X: &str = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    const G_Y: &str = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";

    fn g_key() -> String {
        let xy = hex::decode(format!("{}{}", G_X, G_Y)).unwrap();
        format!("secp256k1:{}", bs58::encode(xy).into_string())
    }

    #[test]
    fn ethereum_address_of_private_key_one() {
        check_ethereum(&g_key(), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf").unwrap();
    }

    #[test]
    fn ethereum_rejects_wrong_case_wrong_key_and_bad_format() {
        assert!(check_ethereum(&g_key(), "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf").is_err());
        assert!(check_ethereum(&g_key(), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bde").is_err());
        assert!(check_ethereum("ed25519:11111111111111111111111111111111", "0x00").is_err());
        assert!(check_ethereum("secp256k1:abc", "0x00").is_err());
    }

    #[test]
    fn solana_address_is_base58_of_key() {
        let key = [9u8; 32];
        let b58 = bs58::encode(key).into_string();
        check_solana(&format!("ed25519:{}", b58), &b58).unwrap();
        assert!(check_solana(&format!("ed25519:{}", b58), &bs58::encode([8u8; 32]).into_string()).is_err());
    }

    // BIP86 account 0, first receiving address (bitcoin/bips bip-0086.mediawiki test vectors).
    const BIP86_ADDR: &str = "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr";
    const BIP86_INTERNAL: &str = "cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115";

    #[test]
    fn bitcoin_taproot_format() {
        check_bitcoin(BIP86_INTERNAL, BIP86_ADDR).unwrap();
        // One character changed breaks the checksum.
        assert!(check_bitcoin(BIP86_INTERNAL, &BIP86_ADDR.replace("kedrcr", "kedrcq")).is_err());
        // A segwit v0 (bech32, not bech32m) address is refused.
        assert!(check_bitcoin(BIP86_INTERNAL, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4").is_err());
        assert!(check_bitcoin(BIP86_INTERNAL, "ltc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr").is_err());
        assert!(check_bitcoin("nothex", BIP86_ADDR).is_err());
    }

    #[test]
    fn unknown_chain_refused() {
        assert!(check("dogecoin", "x", "y").is_err());
    }
}
