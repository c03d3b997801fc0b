using System.Security.Cryptography;
using Keystore.Chains;
using Keystore.Chains.Bitcoin;

namespace Keystore.Export;

/// <summary>
/// Writes a chain private key the way the usual wallet imports it: Ethereum as <c>0x</c> + 64 hex digits
/// (MetaMask "Import account"), Bitcoin as WIF for a compressed key (Sparrow, Bitcoin Core <c>tr(WIF)</c>),
/// Solana as base58 of the 64-byte keypair seed ‖ public key (Phantom "Import private key", Solana CLI).
/// </summary>
public static class WalletKeyFormat
{
    public static string Name(IChainSigner chain) => chain.Name switch
    {
        "ethereum" => "hex",
        "bitcoin" => "wif",
        "solana" => "base58-keypair",
        _ => throw new NotSupportedException($"No wallet import format for {chain.Name}."),
    };

    public static void Append(SecretText output, IChainSigner chain, SigningKey key, BitcoinNetwork network)
    {
        switch (chain.Name)
        {
            case "ethereum":
                output.Append("0x").AppendHex(key.PrivateKey);
                break;
            case "bitcoin":
                AppendWif(output, key.PrivateKey, network);
                break;
            case "solana":
                AppendSolanaKeypair(output, key);
                break;
            default:
                throw new NotSupportedException($"No wallet import format for {chain.Name}.");
        }
    }

    /// <summary>WIF: Base58Check(0x80 mainnet | 0xef testnet and regtest ‖ key ‖ 0x01, the compressed-key flag).</summary>
    private static void AppendWif(SecretText output, ReadOnlySpan<byte> privateKey, BitcoinNetwork network)
    {
        Span<byte> payload = stackalloc byte[34];
        try
        {
            payload[0] = network == BitcoinNetwork.Mainnet ? (byte)0x80 : (byte)0xef;
            privateKey.CopyTo(payload[1..]);
            payload[33] = 0x01;
            SecretBase58.AppendChecked(output, payload);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
    }

    private static void AppendSolanaKeypair(SecretText output, SigningKey key)
    {
        Span<byte> keypair = stackalloc byte[64];
        try
        {
            key.PrivateKey.CopyTo(keypair);
            key.PublicKey.CopyTo(keypair[32..]);
            SecretBase58.Append(output, keypair);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keypair);
        }
    }
}
