using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.LocalNear.Mpc;
using Keystore.Near.Ckd;
using Keystore.Near.Rpc;
using Xunit;

namespace Keystore.LocalNear.Tests.Runtime;

/// <summary>The local MPC signer answers near/mpc's <c>state</c> view, so clients discover its CKD domain as on testnet.</summary>
public sealed class MpcSignerStateViewTests
{
    private const string Mpc = "v1.signer-prod.testnet";

    [Theory]
    [InlineData(2u)]
    [InlineData(7u)]
    public void The_state_view_lists_the_signer_s_CKD_domain_in_a_running_domain_registry(uint domain)
    {
        using var h = new ChainHarness([(Mpc, null)],
            new Dictionary<string, INativeContract> { [Mpc] = new MpcSignerContract(MpcSimulator.CreateRandom(), domain) });
        JsonNode state = JsonNode.Parse(h.View(Mpc, "state", "{}"))!;
        Assert.Equal("CKD", state["Running"]!["domains"]!["domains"]![0]!["purpose"]!.GetValue<string>());
        Assert.Equal(domain + 1, state["Running"]!["domains"]!["next_domain_id"]!.GetValue<uint>());
        Assert.Equal([(ulong)domain], NearRpcMpcDomains.CkdDomainIds(Mpc, state));
    }
}
