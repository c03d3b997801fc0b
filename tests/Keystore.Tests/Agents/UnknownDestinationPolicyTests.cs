using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

/// <summary>
/// <c>destinations.allow</c> names the only addresses that may receive value. Value whose destination the request does
/// not show (a contract creation's new contract, a Solana account from an address lookup table) is not sent to one of
/// them, even under a rule that allows opaque payloads.
/// </summary>
public sealed class UnknownDestinationPolicyTests
{
    private const string Recipient = "0x742d35Cc6634C0532925a3b844Bc454e4438f44e";

    [Fact]
    public async Task An_agent_is_refused_a_contract_creation_carrying_ether_when_its_rule_lists_the_destinations()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, $$$"""
            {"kind":"agent","version":1,"rules":[{"id":"eth","chains":["ethereum"],"operations":["transaction"],
             "destinations":{"allow":["{{{Recipient}}}"]},"limits":{"eth:1":{}},"allowOpaque":true}]}
            """);
        string Transaction(string to, string value) =>
            $$$"""{"transaction":{"type":"0x2","chainId":"0x1","nonce":"0x0",{{{to}}}"value":"{{{value}}}","gas":"100000","maxFeePerGas":"0x4a817c800","maxPriorityFeePerGas":"0x3b9aca00","data":"0x6000"}}""";

        var listed = await AgentRequests.SignAsync(server, agent, "ethereum", Transaction($"\"to\":\"{Recipient}\",", "1000000000000000000"));
        Assert.True(listed.Status == HttpStatusCode.OK, listed.Body?.ToJsonString());
        // A creation without value is opaque, which the rule allows.
        var empty = await AgentRequests.SignAsync(server, agent, "ethereum", Transaction("", "0"));
        Assert.True(empty.Status == HttpStatusCode.OK, empty.Body?.ToJsonString());

        // Ether given to a new contract, whose init code may pass it on to anyone.
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum", Transaction("", "1000000000000000000")), "destinations.allow");
    }

    [Fact]
    public async Task An_agent_is_refused_a_SOL_transfer_to_an_account_from_a_lookup_table_when_its_rule_lists_the_destinations()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        string allowed = Base58.Encode([.. Enumerable.Repeat((byte)7, 32)]);
        using Key agent = await AgentRequests.RegisterAgentAsync(server, $$$"""
            {"kind":"agent","version":1,"rules":[{"id":"sol","chains":["solana"],"operations":["transaction"],
             "destinations":{"allow":["{{{allowed}}}"]},"limits":{"sol":{}},"allowOpaque":true}]}
            """);
        JsonNode key = JsonNode.Parse(await server.Client.GetStringAsync($"/v1/accounts/{AgentRequests.Account}/keys/solana?index=0"))!;
        byte[] payer = Base58.Decode(key["address"]!.GetValue<string>());

        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "solana",
            new JsonObject { ["message"] = Convert.ToBase64String(TransferToLookedUpAccount(payer, 1_000_000_000)) }.ToJsonString()), "destinations.allow");
    }

    /// <summary>A v0 message: <paramref name="payer"/> sends <paramref name="lamports"/> to the first writable account of an address lookup table.</summary>
    private static byte[] TransferToLookedUpAccount(byte[] payer, ulong lamports)
    {
        byte[] data = new byte[12];
        data[0] = 2; // Transfer
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(4), lamports);
        return
        [
            0x80, // version 0
            1, 0, 1, // one signer, the System program read-only
            2, .. payer, .. new byte[32],
            .. Enumerable.Repeat((byte)9, 32), // recent blockhash
            1, 1, 2, 0, 2, (byte)data.Length, .. data, // System transfer: payer → account 2, the table's first writable one
            1, .. Enumerable.Repeat((byte)5, 32), 1, 0, 0, // one table: writable index 0, no read-only ones
        ];
    }
}
