// Keystore.Near: NEAR formats and JSON-RPC client, BLS12-381, Confidential Key Derivation.
