using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

/// <summary>
/// The sign routes take a member whose value is null as absent (<c>{"transaction": null, "message": …}</c> signs the
/// message). The policy must judge that same member, not the null one, so a rule that allows opaque payloads does not
/// lift its limits and operations for a request that names a null alternative first.
/// </summary>
public sealed class NullMemberPolicyTests
{
    [Fact]
    public async Task An_agent_cannot_get_typed_data_signed_under_a_transaction_rule_by_adding_a_null_transaction()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, """
            {"kind":"agent","version":1,"rules":[{"id":"calls","chains":["ethereum"],"operations":["transaction"],
             "limits":{"eth:1":{"perTransaction":"1000"}},"allowOpaque":true}]}
            """);
        var typedData = JsonNode.Parse("""
            {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"chainId","type":"uint256"}],
                      "Order":[{"name":"amount","type":"uint256"}]},
             "primaryType":"Order","domain":{"name":"Exchange","chainId":1},"message":{"amount":"5"}}
            """);

        string body = new JsonObject { ["transaction"] = null, ["typedData"] = typedData }.ToJsonString();
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum", body), "operations");
    }

    [Fact]
    public async Task An_agent_cannot_lift_a_SOL_limit_by_adding_a_null_transaction_beside_its_message()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        // 6,000 lamports: the 1,000 the allowed message sends and its 5,000-lamport signature fee.
        using Key agent = await AgentRequests.RegisterAgentAsync(server, """
            {"kind":"agent","version":1,"rules":[{"id":"sol","chains":["solana"],"operations":["transaction"],
             "limits":{"sol":{"perTransaction":"6000"}},"allowOpaque":true}]}
            """);
        JsonNode key = JsonNode.Parse(await server.Client.GetStringAsync($"/v1/accounts/{AgentRequests.Account}/keys/solana?index=0"))!;
        string message = Convert.ToBase64String(SystemTransfer(Base58.Decode(key["address"]!.GetValue<string>()), lamports: 1_000));
        string big = Convert.ToBase64String(SystemTransfer(Base58.Decode(key["address"]!.GetValue<string>()), lamports: 5_000_000_000));

        var allowed = await AgentRequests.SignAsync(server, agent, "solana", new JsonObject { ["message"] = message }.ToJsonString());
        Assert.True(allowed.Status == HttpStatusCode.OK, allowed.Body?.ToJsonString());
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "solana", new JsonObject { ["message"] = big }.ToJsonString()), "per-transaction");

        string body = new JsonObject { ["transaction"] = null, ["message"] = big }.ToJsonString();
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "solana", body), "per-transaction");
    }

    /// <summary>A legacy message: <paramref name="payer"/> sends <paramref name="lamports"/> to a fixed recipient with the System program.</summary>
    private static byte[] SystemTransfer(byte[] payer, ulong lamports)
    {
        byte[] recipient = [.. Enumerable.Repeat((byte)7, 32)];
        byte[] data = new byte[12];
        data[0] = 2; // Transfer
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(4), lamports);
        return
        [
            1, 0, 1, // one signer, the System program read-only
            3, .. payer, .. recipient, .. new byte[32],
            .. Enumerable.Repeat((byte)9, 32), // recent blockhash
            1, 2, 2, 0, 1, (byte)data.Length, .. data,
        ];
    }
}
