using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

/// <summary>
/// The System program (bincode, trailing bytes allowed) and SPL Token read an instruction's leading bytes and ignore the
/// rest: a transfer with bytes appended still moves its amount, so under a rule that allows opaque payloads it must still
/// meet the limits.
/// </summary>
public sealed class SolanaInstructionDataPolicyTests
{

    [Theory]
    [InlineData("system")]
    [InlineData("token")]
    public async Task An_agent_under_allowOpaque_cannot_move_more_than_its_limit_with_bytes_appended_to_a_transfer(string program)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        string policy = $$$$"""
            {"kind":"agent","version":1,"rules":[{"id":"sol","chains":["solana"],"operations":["transaction"],"allowOpaque":true,
             "limits":{"sol":{"perTransaction":"1000"},"sol:spl:{{{{Base58.Encode(SolanaTestMessages.Mint)}}}}":{"perTransaction":"1000"}}}]}
            """;
        using Key agent = await AgentRequests.RegisterAgentAsync(server, policy);
        JsonNode key = JsonNode.Parse(await server.Client.GetStringAsync($"/v1/accounts/{AgentRequests.Account}/keys/solana?index=0"))!;
        byte[] payer = Base58.Decode(key["address"]!.GetValue<string>());
        byte[] message = program == "system" ? SystemTransfer(payer, 5_000_000_000, trailing: 1) : SolanaTestMessages.TokenTransferChecked(payer, 5_000_000_000, trailing: 1);

        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "solana",
            new JsonObject { ["message"] = Convert.ToBase64String(message) }.ToJsonString()), "per-transaction");
    }

    private static byte[] SystemTransfer(byte[] payer, ulong lamports, int trailing)
    {
        byte[] data = new byte[12 + trailing];
        data[0] = 2; // Transfer
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(4), lamports);
        return
        [
            1, 0, 1,
            3, .. payer, .. Enumerable.Repeat((byte)7, 32), .. new byte[32],
            .. Enumerable.Repeat((byte)9, 32),
            1, 2, 2, 0, 1, (byte)data.Length, .. data,
        ];
    }
}
