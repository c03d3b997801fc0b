using System.Text.Json;
using Keystore.Chains.Bitcoin;
using Keystore.Chains.Ethereum;
using Keystore.Chains.Solana;

namespace Keystore.Chains.Benchmarks;

/// <summary>
/// The only chain-specific calls of the benchmarks: one full sign per chain — read the request into the chain's
/// own types, sign, check the signature before release, encode the result — as the keystore runs it for a request.
/// The chains' typed APIs are in motion (issue 12), so when one changes only these adapters follow it; the
/// benchmarks and their ratios stay as they are. Each adapter receives the request exactly as the HTTP layer does.
/// </summary>
internal sealed class ChainOperations(BitcoinNetwork network)
{
    private readonly EthereumSigner _ethereum = new();
    private readonly BitcoinSigner _bitcoin = new(network);
    private readonly SolanaSigner _solana = new();

    /// <summary>The P2TR output script a Bitcoin key of ours spends (for the benchmark's PSBT).</summary>
    public static byte[] TaprootOutputScript(ReadOnlySpan<byte> compressedPublicKey) => BitcoinSigner.OutputScript(compressedPublicKey);

    /// <summary><c>{"transaction": {…}}</c>: parse the typed transaction, sign it, self-check, RLP-encode.</summary>
    public object EthereumTransaction(SigningKey key, JsonElement request) => _ethereum.Sign(key, request);

    /// <summary><c>{"psbt": "…"}</c>: parse and validate the PSBT, sign our Taproot inputs, self-check, serialize.</summary>
    public object BitcoinPsbt(SigningKey key, JsonElement request) => _bitcoin.Sign(key, request);

    /// <summary><c>{"message": "…"}</c>: parse the Solana message, sign it, self-check.</summary>
    public object SolanaMessage(SigningKey key, JsonElement request) => _solana.Sign(key, request);
}
