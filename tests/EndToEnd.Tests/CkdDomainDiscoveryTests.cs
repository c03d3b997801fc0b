using System.Text.Json.Nodes;
using Keystore.EndToEnd.Tests.Support;

using static Keystore.EndToEnd.Tests.Support.KeystoreNode;

namespace Keystore.EndToEnd.Tests;

/// <summary>
/// The keystore reads the MPC contract's CKD domains at boot: a DAO set up for another MPC network's
/// domain numbering gets no CKD request from it, only a boot error that names both sides.
/// </summary>
public sealed class CkdDomainDiscoveryTests
{
    [Fact]
    public async Task A_DAO_forwarding_to_a_domain_the_MPC_contract_does_not_serve_stops_the_master_secret_step_with_both_domains()
    {
        // The MPC signer serves CKD on domain 5; the local network's DAO is initialised with domain 2.
        await using LocalKeystoreNetwork net = await LocalKeystoreNetwork.StartAsync(configureChain: o => o.Mpc.DomainId = 5);
        await using KeystoreNode keystore = await net.StartKeystoreAsync(waitUntilReady: false);

        JsonNode body = await keystore.WaitForReadyBodyAsync(
            b => Step(b, "master-secret")?["lastError"]?.GetValue<string>() is { } e && e.Contains("CKD domain", StringComparison.Ordinal),
            TimeSpan.FromMinutes(3));
        Assert.Contains("The DAO forwards to CKD domain 2, but v1.signer.test.near lists CKD domains [5]",
            Step(body, "master-secret")!["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("done", Step(body, "register")!["state"]!.GetValue<string>());
        Assert.False(body["ready"]!.GetValue<bool>());
    }
}
