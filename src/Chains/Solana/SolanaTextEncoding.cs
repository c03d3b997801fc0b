namespace Keystore.Chains.Solana;

/// <summary>How a serialized message or transaction travels as text: base64 (web3.js, RPC) or base58 (some wallets' APIs).</summary>
public enum SolanaTextEncoding
{
    Base64,
    Base58,
}
