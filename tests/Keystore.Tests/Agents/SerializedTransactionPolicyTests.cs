using System.Net;
using System.Numerics;
using System.Text.Json.Nodes;
using Keystore.Tests.Approvals;

namespace Keystore.Tests.Agents;

/// <summary>
/// <c>{"transaction": "0x…"}</c> under an agent's policy: transactions serialized by ethers (<c>unsignedSerialized</c>,
/// EIP-1559, EIP-2930 and legacy) meet the same value, destination, chain id and ERC-20 checks as the JSON form, through
/// HTTP with the real policy engine; what is signed is parsed back by ethers.
/// </summary>
public sealed class SerializedTransactionPolicyTests
{
    private const string Recipient = "0x742d35Cc6634C0532925a3b844Bc454e4438f44e";
    private const string Stranger = "0x1111111111111111111111111111111111111111";
    private const string Usdc = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
    private static readonly BigInteger Milli = BigInteger.Pow(10, 15);
    /// <summary>The most each transaction below can pay in gas, spend of ether beside its value: gas × maxFeePerGas or gasPrice.</summary>
    private static readonly BigInteger Eip1559Fee = 60_000 * 20 * BigInteger.Pow(10, 9), LegacyFee = 21_000 * 20 * BigInteger.Pow(10, 9);

    private static readonly string Policy = $$$$"""
        {"kind":"agent","version":1,"rules":[{"id":"payments","chains":["ethereum"],"operations":["transaction"],
         "destinations":{"allow":["{{{{Recipient}}}}"]},
         "limits":{"eth:1":{"perTransaction":"200000000000000000","daily":"500000000000000000"},
                   "eth:1:erc20:{{{{Usdc.ToLowerInvariant()}}}}":{"perTransaction":"1000000"}}}]}
        """;

    private static JsonObject Eip1559(BigInteger wei, string to = Recipient, string data = "0x", long chainId = 1) => new()
    {
        ["type"] = 2, ["chainId"] = chainId.ToString(), ["nonce"] = 3, ["to"] = to, ["value"] = wei.ToString(), ["data"] = data,
        ["gasLimit"] = "60000", ["maxFeePerGas"] = "20000000000", ["maxPriorityFeePerGas"] = "1000000000",
    };

    private static JsonObject Legacy(int type, BigInteger wei, string to = Recipient) => new()
    {
        ["type"] = type, ["chainId"] = "1", ["nonce"] = 4, ["to"] = to, ["value"] = wei.ToString(), ["data"] = "0x",
        ["gasLimit"] = "21000", ["gasPrice"] = "20000000000",
    };

    /// <summary>ERC-20 <c>transfer(to, amount)</c> calldata, written out by hand (selector a9059cbb, two ABI words).</summary>
    private static string Erc20Transfer(string to, BigInteger amount) =>
        "0xa9059cbb" + to[2..].ToLowerInvariant().PadLeft(64, '0') + amount.ToString("x").TrimStart('0').PadLeft(64, '0');

    [Fact]
    public async Task Serialized_transactions_built_by_ethers_are_allowed_or_denied_by_the_policy_exactly_as_their_JSON_form()
    {
        (string Name, JsonObject Fields, string? Rule)[] cases =
        [
            ("EIP-1559 ether transfer at the per-transaction limit with its fee", Eip1559(200 * Milli - Eip1559Fee), null),
            ("legacy ether transfer within the limits", Legacy(0, 100 * Milli), null),
            ("EIP-2930 ether transfer over the per-transaction limit", Legacy(1, 300 * Milli), "per-transaction"),
            ("EIP-1559 ether transfer to an address the rule does not list", Eip1559(1, Stranger), "destinations.allow"),
            ("EIP-1559 ether transfer on a chain the rule has no limit for", Eip1559(1, chainId: 8453), "assets"),
            ("ERC-20 transfer decoded from the calldata, within its limit", Eip1559(0, Usdc, Erc20Transfer(Recipient, 500_000)), null),
            ("ERC-20 transfer over its per-transaction limit", Eip1559(0, Usdc, Erc20Transfer(Recipient, 2_000_000)), "per-transaction"),
            ("ERC-20 transfer to an address the rule does not list", Eip1559(0, Usdc, Erc20Transfer(Stranger, 5)), "destinations.allow"),
            // 0.5 ETH a day, less what the three allowed above spent with their fees (0.2, 0.1 + LegacyFee, Eip1559Fee), less its own fee.
            ("EIP-1559 ether transfer that reaches the daily window exactly", Eip1559(200 * Milli - LegacyFee - 2 * Eip1559Fee), null),
            ("legacy ether transfer past the daily window", Legacy(0, 1), "window:eth:1:daily"),
        ];
        JsonArray serialized = (await NodeOracle.RunAsync("ethereum-serialized.mjs",
            new JsonObject { ["serialize"] = new JsonArray(cases.Select(c => (JsonNode)c.Fields.DeepClone()).ToArray()) }))["serialized"]!.AsArray();

        await using ApprovalHarness keystore = await ApprovalHarness.StartAsync(Policy);
        var signedTransactions = new List<(string Unsigned, JsonNode Answer)>();
        for (int i = 0; i < cases.Length; i++)
        {
            (string name, _, string? rule) = cases[i];
            string unsigned = serialized[i]!.GetValue<string>();
            string body = new JsonObject { ["transaction"] = unsigned }.ToJsonString();
            (HttpStatusCode status, JsonNode? answer) = await keystore.AgentSignsAsync(body);
            if (rule is null)
            {
                Assert.True(status == HttpStatusCode.OK, $"{name}: {status} {answer?.ToJsonString()}");
                signedTransactions.Add((unsigned, answer!));
            }
            else
            {
                Assert.True(status == HttpStatusCode.Forbidden, $"{name}: {status} {answer?.ToJsonString()}");
                Assert.EndsWith(":policy-denied", answer!["type"]!.GetValue<string>());
                Assert.True(rule == answer["rule"]!.GetValue<string>(), $"{name}: rule {answer["rule"]}, expected {rule}");
                Assert.Null(answer["signedTransaction"]);
            }
        }

        // ethers reads back each signed transaction: the very transaction that was sent, signed by the account's address.
        JsonArray parsed = (await NodeOracle.RunAsync("ethereum-serialized.mjs", new JsonObject
        {
            ["parse"] = new JsonArray(signedTransactions.Select(s => (JsonNode)JsonValue.Create(s.Answer["signedTransaction"]!.GetValue<string>())!).ToArray()),
        }))["parsed"]!.AsArray();
        Assert.Equal(4, parsed.Count);
        for (int i = 0; i < parsed.Count; i++)
        {
            Assert.Equal(signedTransactions[i].Unsigned, parsed[i]!["unsignedSerialized"]!.GetValue<string>());
            Assert.Equal(signedTransactions[i].Answer["from"]!.GetValue<string>(), parsed[i]!["from"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_serialized_transaction_the_sign_route_would_refuse_is_opaque_to_the_policy_and_signs_nothing()
    {
        await using ApprovalHarness keystore = await ApprovalHarness.StartAsync(Policy);
        foreach (string hex in new[] { "0x", "0x02", "0x02c0", "0xzz", "0x03c0" })
        {
            string body = new JsonObject { ["transaction"] = hex }.ToJsonString();
            (HttpStatusCode status, JsonNode? answer) = await keystore.AgentSignsAsync(body);
            Assert.True(status == HttpStatusCode.Forbidden, $"{hex}: {status} {answer?.ToJsonString()}");
            Assert.Equal("opaque", answer!["rule"]!.GetValue<string>());
        }
    }
}
