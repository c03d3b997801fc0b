using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.EndToEnd.Tests.Support;

namespace Keystore.EndToEnd.Tests;

/// <summary>
/// The production TEE path: <c>Keystore:Tee:Provider=dstack</c> takes quotes from the guest agent over
/// its Unix socket and collateral from a PCCS, and the DAO verifies both on chain. Here the agent and
/// the PCCS are local servers backed by the TDX simulator (the DAO pins the simulator's root).
/// </summary>
public sealed class DstackProviderTests
{
    [Fact]
    public async Task A_keystore_on_the_dstack_provider_registers_with_PCCS_collateral_and_boots()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync();
        var simulator = new SimulatedTdxProvider(SimulatedTdxOptions.LocalDevelopment);
        string socket = Path.Combine(net.Directory, "dstack.sock");
        await using DstackGuestAgentDouble agent = await DstackGuestAgentDouble.StartAsync(simulator, socket);
        await using PccsDouble pccs = await PccsDouble.StartAsync(simulator.Collateral,
            Convert.ToHexString(SimulatedTdxOptions.LocalDevelopment.Fmspc));

        await using KeystoreNode keystore = await net.StartKeystoreAsync(new Dictionary<string, string?>
        {
            ["Keystore:Tee:Provider"] = "dstack",
            ["Keystore:Tee:DstackEndpoint"] = socket,
            ["Keystore:Tee:PccsUrl"] = pccs.Url.ToString(),
        });

        JsonNode attestation = await keystore.GetJsonAsync("/v1/attestation");
        Assert.Equal("dstack", attestation["provider"]!.GetValue<string>());
        Assert.False(attestation["simulated"]!.GetValue<bool>());
        Assert.True(attestation["registered"]!.GetValue<bool>());
        Assert.Equal(1, agent.QuotesIssued);
        Assert.Equal(4, pccs.Requests); // PCK CRL, TCB info, QE identity, root CA CRL
        Assert.Equal(SimulatedTdxOptions.LocalDevelopment.Mrtd.Length * 2, attestation["tcbInfo"]!["mrtd"]!.GetValue<string>().Length);

        string workerKey = attestation["workerPublicKey"]!.GetValue<string>();
        Assert.True((await net.ViewAsync(LocalKeystoreNetwork.Dao, "is_registered_worker", new JsonObject { ["public_key"] = workerKey }))!.GetValue<bool>());
        Assert.StartsWith("0x", (await keystore.GetJsonAsync("/v1/accounts/alice.test.near/keys/ethereum"))["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unreachable_guest_agent_is_reported_and_retried()
    {
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync();
        await using KeystoreNode keystore = await net.StartKeystoreAsync(new Dictionary<string, string?>
        {
            ["Keystore:Tee:Provider"] = "dstack",
            ["Keystore:Tee:DstackEndpoint"] = Path.Combine(net.Directory, "no-agent.sock"),
        }, waitUntilReady: false);
        JsonNode body = await keystore.WaitForReadyBodyAsync(b => b["steps"]?.AsArray()
            .Any(s => s!["name"]!.GetValue<string>() == "attest" && s["attempts"]?.GetValue<int>() >= 2) == true, TimeSpan.FromMinutes(1));
        JsonNode step = body["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "attest")!;
        Assert.False(body["ready"]!.GetValue<bool>());
        Assert.Equal("pending", body["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "register")!["state"]!.GetValue<string>());
        Assert.Contains("did not attest", step["lastError"]!.GetValue<string>());
        Assert.Contains("unreachable", step["lastError"]!.GetValue<string>());
    }
}
