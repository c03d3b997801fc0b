using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Policies.Decoding;

namespace Keystore.Tests.Policies;

/// <summary>
/// Sign bodies built by wallet libraries (tests/oracles/policy-intents.mjs: ethers, @solana/web3.js, @solana/spl-token,
/// @solana/offchain-messages, @scure/btc-signer) with what each one does, produced once per test run.
/// </summary>
internal static class WalletBuiltRequests
{
    private static readonly Lazy<JsonNode> Cases = new(() => NodeOracle.RunAsync("policy-intents.mjs", new JsonObject()).GetAwaiter().GetResult());

    public static IReadOnlyList<JsonNode> Of(string chain) => Cases.Value[chain]!.AsArray().Select(c => c!).ToList();

    public static JsonNode Named(string chain, string name) =>
        Of(chain).SingleOrDefault(c => (string)c["name"]! == name) ?? throw new ArgumentException($"no {chain} case named {name}");

    public static JsonElement Body(JsonNode @case) => JsonDocument.Parse(@case["body"]!.ToJsonString()).RootElement;

    /// <summary>Decodes a case with the decoder of its chain (Bitcoin: its network and own addresses).</summary>
    public static SignIntent Decode(string chain, JsonNode @case) => chain switch
    {
        "ethereum" => EthereumIntentDecoder.Decode(Body(@case)),
        "solana" => SolanaIntentDecoder.Decode(Body(@case)),
        "bitcoin" => BitcoinIntentDecoder.Decode(Body(@case), Enum.Parse<BitcoinAddressNetwork>((string)@case["network"]!),
            address => @case["own"]!.AsArray().Any(a => (string)a! == address)),
        _ => throw new ArgumentOutOfRangeException(nameof(chain)),
    };

    /// <summary>Asserts the decoded intent is exactly what the wallet library says it built.</summary>
    public static void AssertMatches(JsonNode @case, SignIntent intent)
    {
        string name = (string)@case["name"]!;
        JsonNode expect = @case["expect"]!;
        Assert.True(((bool?)expect["opaque"] ?? false) == intent.Opaque, $"{name}: opaque {intent.Opaque} ({intent.OpaqueReason})");
        if (expect["transfers"] is JsonArray transfers)
        {
            Assert.True(transfers.Count == intent.Transfers.Count, $"{name}: {intent.Transfers.Count} transfers, expected {transfers.Count}");
            for (int i = 0; i < transfers.Count; i++)
            {
                JsonNode t = transfers[i]!;
                AssetTransfer actual = intent.Transfers[i];
                Assert.Equal((string)t["asset"]!, actual.Asset);
                Assert.Equal((string?)t["destination"], actual.Destination);
                Assert.Equal(BigInteger.Parse((string)t["amount"]!), actual.Amount);
                Assert.Equal((string)t["kind"]!, actual.Kind.ToString());
                Assert.Equal((bool?)t["unlimited"] ?? false, actual.IsUnlimitedApproval);
            }
        }
        if (expect["calls"] is JsonArray calls)
        {
            Assert.True(calls.Count == intent.Calls.Count, $"{name}: {intent.Calls.Count} calls, expected {calls.Count}");
            for (int i = 0; i < calls.Count; i++)
            {
                Assert.Equal((string)calls[i]!["address"]!, intent.Calls[i].Address);
                Assert.Equal((string?)calls[i]!["selector"], intent.Calls[i].Selector);
                Assert.Equal((bool)calls[i]!["decoded"]!, intent.Calls[i].Decoded);
            }
        }
        if (expect["domain"] is JsonNode domain)
            Assert.Equal(new Eip712Domain((string?)domain["name"], (string?)domain["version"], (ulong?)domain["chainId"], (string?)domain["verifyingContract"]), intent.Domain);
    }
}
