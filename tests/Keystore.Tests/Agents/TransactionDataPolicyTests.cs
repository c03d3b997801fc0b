using System.Numerics;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

/// <summary>
/// A JSON transaction's calldata is <c>data</c> or <c>input</c>, a null one counting as absent (as ethers' toJSON writes
/// absent fields): the policy must judge the calldata that is signed.
/// </summary>
public sealed class TransactionDataPolicyTests
{
    private const string Usdc = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
    private const string Recipient = "0x742d35Cc6634C0532925a3b844Bc454e4438f44e";

    [Fact]
    public async Task An_agent_cannot_hide_an_ERC_20_transfer_in_input_behind_a_null_data()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        // Ether only (the README's worked example): no token, no contract call.
        using Key agent = await AgentRequests.RegisterAgentAsync(server, """
            {"kind":"agent","version":1,"rules":[{"id":"payments","chains":["ethereum"],"operations":["transaction"],
             "destinations":{"deny":["0x000000000000000000000000000000000000dEaD"]},
             "limits":{"eth:1":{"perTransaction":"200000000000000000","daily":"500000000000000000"}}}]}
            """);
        string transfer = "0xa9059cbb" + Recipient[2..].ToLowerInvariant().PadLeft(64, '0') + BigInteger.Pow(10, 12).ToString("x").PadLeft(64, '0');
        string Transaction(string calldata) =>
            $$$"""{"transaction":{"type":"0x2","chainId":"0x1","nonce":"0x0","to":"{{{Usdc}}}","value":"0","gas":"100000","maxFeePerGas":"0x4a817c800","maxPriorityFeePerGas":"0x3b9aca00",{{{calldata}}}}}""";

        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum", Transaction($"\"input\":\"{transfer}\"")), "assets");
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum", Transaction($"\"data\":null,\"input\":\"{transfer}\"")), "assets");
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum", Transaction($"\"input\":null,\"data\":\"{transfer}\"")), "assets");
    }
}
