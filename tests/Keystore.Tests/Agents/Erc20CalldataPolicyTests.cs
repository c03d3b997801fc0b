using System.Numerics;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

/// <summary>
/// ERC-20 calldata a strict ABI decoder would refuse is still acted on by tokens: every Solidity version ignores trailing
/// bytes, and Solidity 0.4 tokens (USDT among them) mask an address word's high bytes and read missing bytes as zeros.
/// Under a rule that allows opaque payloads such a transfer must still meet the token's limits.
/// </summary>
public sealed class Erc20CalldataPolicyTests
{
    private const string Usdc = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
    private const string Recipient = "742d35cc6634c0532925a3b844bc454e4438f44e";

    [Theory]
    [InlineData("", "00")]                                  // one trailing byte
    [InlineData("ff", "")]                                   // a dirty high byte in the address word
    public async Task An_agent_under_allowOpaque_cannot_move_a_token_past_its_limit_with_calldata_a_strict_decoder_refuses(string dirty, string trailing)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, $$$$"""
            {"kind":"agent","version":1,"rules":[{"id":"defi","chains":["ethereum"],"operations":["transaction"],"allowOpaque":true,
             "limits":{"eth:1":{},"eth:1:erc20:{{{{Usdc}}}}":{"perTransaction":"1000"}}}]}
            """);
        string calldata = "0xa9059cbb" + (dirty + Recipient).PadLeft(64, '0') + BigInteger.Pow(10, 12).ToString("x").PadLeft(64, '0') + trailing;
        string body = $$$"""{"transaction":{"type":"0x2","chainId":"0x1","nonce":"0x0","to":"{{{Usdc}}}","value":"0","gas":"100000","maxFeePerGas":"0x4a817c800","maxPriorityFeePerGas":"0x3b9aca00","data":"{{{calldata}}}"}}""";

        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum", body), "per-transaction");
    }
}
