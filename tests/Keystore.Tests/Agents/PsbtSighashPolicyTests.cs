using System.Net;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using NBitcoin;
using Key = NSec.Cryptography.Key;

namespace Keystore.Tests.Agents;

/// <summary>
/// A Taproot signature with SIGHASH_NONE commits to no output, and one with SIGHASH_SINGLE to one output only: whoever
/// holds it may rewrite where the rest of the inputs' value goes. An agent that asks for them (in the PSBT and in
/// <c>allowedSighashTypes</c>, both of which it writes) must not get a signature the policy judged by the outputs shown.
/// </summary>
public sealed class PsbtSighashPolicyTests
{
    /// <summary>Only change back to the account, a fee of at most 2,000 sat.</summary>
    private const string ChangeOnly = """
        {"kind":"agent","version":1,"rules":[{"id":"btc","chains":["bitcoin"],"operations":["psbt"],
         "destinations":{"allow":["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"]},"limits":{"btc":{"perTransaction":"2000"}}}]}
        """;

    /// <summary>One input of the account's own Taproot output (100,000 sat), one output of 99,000 sat back to it.</summary>
    private static async Task<string> ChangeOnlyPsbtAsync(KeystoreServer server, SigHash? sighash)
    {
        JsonNode key = JsonNode.Parse(await server.Client.GetStringAsync($"/v1/accounts/{AgentRequests.Account}/keys/bitcoin?index=0"))!;
        Script own = BitcoinAddress.Create(key["address"]!.GetValue<string>(), Network.Main).ScriptPubKey;
        Transaction tx = Network.Main.CreateTransaction();
        tx.Inputs.Add(new TxIn(new OutPoint(uint256.One, 0)));
        tx.Outputs.Add(new TxOut(Money.Satoshis(99_000), own));
        PSBT psbt = PSBT.FromTransaction(tx, Network.Main);
        psbt.Inputs[0].WitnessUtxo = new TxOut(Money.Satoshis(100_000), own);
        psbt.Inputs[0].SighashType = sighash;
        return psbt.ToBase64();
    }

    [Theory]
    [InlineData(SigHash.None, "NONE")]
    [InlineData(SigHash.Single, "SINGLE")]
    [InlineData(SigHash.None | SigHash.AnyoneCanPay, "NONE|ANYONECANPAY")]
    [InlineData(SigHash.Single | SigHash.AnyoneCanPay, "SINGLE|ANYONECANPAY")]
    public async Task An_agent_is_refused_a_PSBT_signature_that_does_not_commit_to_every_output(SigHash sighash, string name)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, ChangeOnly);

        // The same PSBT with the default sighash is what the policy allows: change only, a fee of 1,000 sat.
        var allowed = await AgentRequests.SignAsync(server, agent, "bitcoin", new JsonObject { ["psbt"] = await ChangeOnlyPsbtAsync(server, null) }.ToJsonString());
        Assert.True(allowed.Status == HttpStatusCode.OK, allowed.Body?.ToJsonString());

        string body = new JsonObject { ["psbt"] = await ChangeOnlyPsbtAsync(server, sighash), ["allowedSighashTypes"] = new JsonArray(name) }.ToJsonString();
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "bitcoin", body), "opaque");
    }

    [Fact]
    public async Task An_agent_still_gets_an_ALL_ANYONECANPAY_signature_which_commits_to_every_output()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, ChangeOnly);
        string body = new JsonObject
        {
            ["psbt"] = await ChangeOnlyPsbtAsync(server, SigHash.All | SigHash.AnyoneCanPay), ["allowedSighashTypes"] = new JsonArray("ALL|ANYONECANPAY"),
        }.ToJsonString();
        var answer = await AgentRequests.SignAsync(server, agent, "bitcoin", body);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body?.ToJsonString());
    }
}
