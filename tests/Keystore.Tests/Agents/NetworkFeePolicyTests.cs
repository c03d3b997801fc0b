using System.Buffers.Binary;
using System.Net;
using System.Numerics;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Chains.Ethereum;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

/// <summary>
/// A network fee is spend of the chain's coin: without counting it, an agent limited to 0.2 ETH could sign a transaction
/// whose gas × fee per gas hands a colluding block builder far more of the account's ether (on Solana, a compute-unit
/// price does the same). Through HTTP with the real policy engine: the fee counts against the coin's limits, and a rule
/// that lists only a token refuses, telling the owner to list the coin.
/// </summary>
public sealed class NetworkFeePolicyTests
{
    private const string Recipient = "0x742d35Cc6634C0532925a3b844Bc454e4438f44e";
    private const string Usdc = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
    private const string ComputeBudgetProgram = "ComputeBudget111111111111111111111111111111";
    private static readonly BigInteger Gwei = BigInteger.Pow(10, 9);
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);
    private static readonly BigInteger PerTransaction = 2 * Ether / 10;

    private static readonly string EtherPolicy = $$$$"""
        {"kind":"agent","version":1,"rules":[{"id":"fees","chains":["ethereum"],"operations":["transaction"],
         "limits":{"eth:1":{"perTransaction":"{{{{PerTransaction}}}}"}}}]}
        """;

    private const string SolPolicy = """
        {"kind":"agent","version":1,"rules":[{"id":"sol-fees","chains":["solana"],"operations":["transaction"],
         "limits":{"sol":{"perTransaction":"1000000"}}}]}
        """;

    /// <summary>An ether transfer of <paramref name="wei"/> whose fee can reach <paramref name="gas"/> × <paramref name="feePerGas"/>, in one of the forms the sign route takes.</summary>
    private static string Transaction(string form, BigInteger wei, long gas, BigInteger feePerGas, string to = Recipient, string data = "0x")
    {
        bool legacy = form.StartsWith("legacy", StringComparison.Ordinal);
        if (form.EndsWith("serialized", StringComparison.Ordinal))
        {
            var transaction = new EthereumTransaction
            {
                Type = legacy ? (byte)0 : (byte)2, ChainId = 1, Nonce = 7, GasLimit = gas, To = Convert.FromHexString(to[2..]), Value = wei,
                Data = Convert.FromHexString(data[2..]),
                GasPrice = legacy ? feePerGas : null, MaxFeePerGas = legacy ? null : feePerGas, MaxPriorityFeePerGas = legacy ? null : feePerGas,
            };
            return new JsonObject { ["transaction"] = "0x" + Convert.ToHexStringLower(transaction.EncodeUnsigned()) }.ToJsonString();
        }
        var fields = new JsonObject { ["chainId"] = "0x1", ["nonce"] = "7", ["to"] = to, ["value"] = wei.ToString(), ["gas"] = gas.ToString(), ["data"] = data };
        if (legacy) fields["gasPrice"] = feePerGas.ToString();
        else
        {
            fields["type"] = "0x2";
            fields["maxFeePerGas"] = feePerGas.ToString();
            fields["maxPriorityFeePerGas"] = feePerGas.ToString();
        }
        return new JsonObject { ["transaction"] = fields }.ToJsonString();
    }

    [Theory]
    [InlineData("eip1559-json")]
    [InlineData("legacy-json")]
    [InlineData("eip1559-serialized")]
    [InlineData("legacy-serialized")]
    public async Task An_agent_limited_to_0_2_ETH_cannot_send_0_1_ETH_with_a_fee_worth_1_ETH(string form)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, EtherPolicy);

        // 1,000,000 gas × 1,000 gwei = 1 ETH a colluding builder may collect, beside 0.1 ETH of value.
        var answer = await AgentRequests.SignAsync(server, agent, "ethereum", Transaction(form, Ether / 10, 1_000_000, 1_000 * Gwei));
        AgentRequests.AssertDenied(answer, "per-transaction");
        string detail = answer.Body!["detail"]!.GetValue<string>();
        Assert.Contains("Rule fees", detail, StringComparison.Ordinal);
        Assert.Contains((Ether / 10 + Ether).ToString(), detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eip1559-json")]
    [InlineData("legacy-json")]
    [InlineData("eip1559-serialized")]
    [InlineData("legacy-serialized")]
    public async Task Value_plus_the_most_the_fee_can_be_passes_at_the_limit_exactly_and_one_wei_more_is_refused(string form)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, EtherPolicy);
        BigInteger fee = 21_000 * Gwei; // gas 21,000 × 1 gwei a gas

        var exact = await AgentRequests.SignAsync(server, agent, "ethereum", Transaction(form, PerTransaction - fee, 21_000, Gwei));
        Assert.True(exact.Status == HttpStatusCode.OK, exact.Body?.ToJsonString());
        Assert.NotNull(exact.Body!["signedTransaction"]);

        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum", Transaction(form, PerTransaction - fee + 1, 21_000, Gwei)), "per-transaction");
    }

    [Fact]
    public async Task An_Ethereum_rule_that_lists_only_a_token_refuses_its_transfer_and_says_the_fee_is_spend_of_ether()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        string policy = $$$$"""
            {"kind":"agent","version":1,"rules":[{"id":"usdc-only","chains":["ethereum"],"operations":["transaction"],
             "limits":{"eth:1:erc20:{{{{Usdc}}}}":{"perTransaction":"1000000"}}}]}
            """;
        using Key agent = await AgentRequests.RegisterAgentAsync(server, policy);
        string transfer = "0xa9059cbb" + Recipient[2..].ToLowerInvariant().PadLeft(64, '0') + new BigInteger(5).ToString("x").PadLeft(64, '0');

        var answer = await AgentRequests.SignAsync(server, agent, "ethereum", Transaction("eip1559-json", 0, 60_000, 20 * Gwei, Usdc, transfer));
        AgentRequests.AssertDenied(answer, "assets");
        string detail = answer.Body!["detail"]!.GetValue<string>();
        Assert.Contains("usdc-only", detail, StringComparison.Ordinal);
        Assert.Contains("fee is spend of eth:1", detail, StringComparison.Ordinal);
        Assert.Contains("list it in the rule's limits", detail, StringComparison.Ordinal);

        // A transaction that can pay no fee spends no ether: the token rule alone allows it.
        var free = await AgentRequests.SignAsync(server, agent, "ethereum", Transaction("eip1559-json", 0, 60_000, 0, Usdc, transfer));
        Assert.True(free.Status == HttpStatusCode.OK, free.Body?.ToJsonString());
    }

    [Theory]
    [InlineData(1_400_000u, 1_000_000UL)] // 1,400,000 units × 1 lamport a unit = 1,400,000 lamports of priority fee
    [InlineData(null, 10_000_000UL)]     // no SetComputeUnitLimit: 200,000 units for the one transfer → 2,000,000 lamports
    public async Task A_SOL_limited_agent_cannot_pay_past_its_limit_through_a_compute_unit_price(uint? unitLimit, ulong microLamportsPerUnit)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, SolPolicy);
        byte[] payer = await SolanaAddressAsync(server);

        var answer = await AgentRequests.SignAsync(server, agent, "solana", SolanaBody(SolTransfer(payer, 1_000, unitLimit, microLamportsPerUnit)));
        AgentRequests.AssertDenied(answer, "per-transaction");
        Assert.Contains("Rule sol-fees", answer.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SOL_moved_plus_the_signature_and_prioritization_fees_passes_at_the_limit_exactly_and_one_lamport_more_is_refused()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, SolPolicy);
        byte[] payer = await SolanaAddressAsync(server);
        // One signature (5,000) + ceil(1,000,001 µlamports × 200,000 units / 10⁶) = 200,001: 205,001 lamports of fee.
        const ulong fee = 5_000 + 200_001;

        var exact = await AgentRequests.SignAsync(server, agent, "solana", SolanaBody(SolTransfer(payer, 1_000_000 - fee, 200_000, 1_000_001)));
        Assert.True(exact.Status == HttpStatusCode.OK, exact.Body?.ToJsonString());
        Assert.NotNull(exact.Body!["signature"]);

        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "solana", SolanaBody(SolTransfer(payer, 1_000_000 - fee + 1, 200_000, 1_000_001))), "per-transaction");
    }

    [Fact]
    public async Task A_Solana_rule_that_lists_only_a_token_refuses_its_transfer_and_says_the_fee_is_spend_of_SOL()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        string policy = $$$$"""
            {"kind":"agent","version":1,"rules":[{"id":"spl-only","chains":["solana"],"operations":["transaction"],
             "limits":{"sol:spl:{{{{Base58.Encode(SolanaTestMessages.Mint)}}}}":{"perTransaction":"1000"}}}]}
            """;
        using Key agent = await AgentRequests.RegisterAgentAsync(server, policy);
        byte[] payer = await SolanaAddressAsync(server);

        var answer = await AgentRequests.SignAsync(server, agent, "solana", SolanaBody(SolanaTestMessages.TokenTransferChecked(payer, 10)));
        AgentRequests.AssertDenied(answer, "assets");
        string detail = answer.Body!["detail"]!.GetValue<string>();
        Assert.Contains("spl-only", detail, StringComparison.Ordinal);
        Assert.Contains("fee is spend of sol", detail, StringComparison.Ordinal);
        Assert.Contains("list it in the rule's limits", detail, StringComparison.Ordinal);
    }

    private static async Task<byte[]> SolanaAddressAsync(KeystoreServer server)
    {
        JsonNode key = JsonNode.Parse(await server.Client.GetStringAsync($"/v1/accounts/{AgentRequests.Account}/keys/solana?index=0"))!;
        return Base58.Decode(key["address"]!.GetValue<string>());
    }

    private static string SolanaBody(byte[] message) => new JsonObject { ["message"] = Convert.ToBase64String(message) }.ToJsonString();

    /// <summary>A legacy message: the payer sends <paramref name="lamports"/> to another account, after Compute Budget instructions.</summary>
    private static byte[] SolTransfer(byte[] payer, ulong lamports, uint? unitLimit, ulong microLamportsPerUnit)
    {
        byte[] transfer = new byte[12];
        transfer[0] = 2; // System Transfer { lamports }
        BinaryPrimitives.WriteUInt64LittleEndian(transfer.AsSpan(4), lamports);
        var instructions = new List<byte[]>();
        if (unitLimit is { } units)
        {
            byte[] limit = new byte[5];
            limit[0] = 2; // SetComputeUnitLimit(u32)
            BinaryPrimitives.WriteUInt32LittleEndian(limit.AsSpan(1), units);
            instructions.Add([3, 0, 5, .. limit]);
        }
        byte[] price = new byte[9];
        price[0] = 3; // SetComputeUnitPrice(u64)
        BinaryPrimitives.WriteUInt64LittleEndian(price.AsSpan(1), microLamportsPerUnit);
        instructions.Add([3, 0, 9, .. price]);
        instructions.Add([2, 2, 0, 1, 12, .. transfer]);
        return
        [
            1, 0, 2, // one signer; the System and Compute Budget programs read-only
            4, .. payer, .. Enumerable.Repeat((byte)7, 32), .. new byte[32], .. Base58.Decode(ComputeBudgetProgram),
            .. Enumerable.Repeat((byte)9, 32),
            (byte)instructions.Count, .. instructions.SelectMany(i => i),
        ];
    }
}
