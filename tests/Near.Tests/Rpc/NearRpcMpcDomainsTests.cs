using System.Text.Json.Nodes;
using Keystore.Near.Rpc;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Xunit;

namespace Keystore.Near.Tests.Rpc;

/// <summary>
/// CKD domain discovery reads the MPC contract's <c>state</c> view in the shape near/mpc serves it
/// (Vectors/mpc_contract_state.json, and the domain entries of its docs/localnet/args/add_domain.json).
/// </summary>
public sealed class NearRpcMpcDomainsTests : IDisposable
{
    // near/mpc docs/localnet/args/add_domain.json: two Sign domains, one CKD domain, one ForeignTx domain.
    private const string AddDomainJson = """
        [{"id":0,"curve":"Secp256k1","protocol":"CaitSith","reconstruction_threshold":2,"purpose":"Sign"},
         {"id":1,"curve":"Edwards25519","protocol":"Frost","reconstruction_threshold":2,"purpose":"Sign"},
         {"id":2,"curve":"Bls12381","protocol":"ConfidentialKeyDerivation","reconstruction_threshold":2,"purpose":"CKD"},
         {"id":3,"curve":"Secp256k1","protocol":"CaitSith","reconstruction_threshold":2,"purpose":"ForeignTx"}]
        """;

    private readonly WireMockServer _node = WireMockServer.Start();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _node.Stop();
        _http.Dispose();
    }

    private static JsonObject RealState() => (JsonObject)JsonNode.Parse(File.ReadAllText(RepoPaths.Vector("mpc_contract_state.json")))!;

    [Fact]
    public void A_running_network_with_only_Sign_domains_has_no_CKD_domain()
    {
        Assert.Empty(NearRpcMpcDomains.CkdDomainIds("v1.signer", RealState()));
    }

    [Fact]
    public void The_CKD_domain_is_found_among_Sign_and_ForeignTx_domains()
    {
        JsonObject state = RealState();
        state["Running"]!["domains"]!["domains"] = JsonNode.Parse(AddDomainJson);
        Assert.Equal([2UL], NearRpcMpcDomains.CkdDomainIds("v1.signer", state));
    }

    [Fact]
    public void Domains_from_before_purposes_are_recognised_by_their_BLS12_381_scheme()
    {
        var state = JsonNode.Parse("""{"Running":{"domains":{"domains":[{"id":0,"scheme":"Secp256k1"},{"id":1,"scheme":"Ed25519"},{"id":4,"scheme":"Bls12381"}],"next_domain_id":5}}}""");
        Assert.Equal([4UL], NearRpcMpcDomains.CkdDomainIds("v1.signer", state));
    }

    [Fact]
    public void A_resharing_network_still_serves_the_domains_of_its_previous_running_state()
    {
        JsonObject running = (JsonObject)RealState()["Running"]!.DeepClone();
        running["domains"]!["domains"] = JsonNode.Parse(AddDomainJson);
        var state = new JsonObject { ["Resharing"] = new JsonObject { ["previous_running_state"] = running } };
        Assert.Equal([2UL], NearRpcMpcDomains.CkdDomainIds("v1.signer", state));
    }

    [Theory]
    [InlineData("\"NotInitialized\"", "v1.signer is in state NotInitialized, not Running")]
    [InlineData("""{"Initializing":{"domains":{"domains":[]}}}""", "v1.signer is in state Initializing, not Running")]
    [InlineData("""{"Running":{}}""", "has no domain registry")]
    [InlineData("""{"Running":{"domains":{"domains":[{"purpose":"CKD"}]}}}""", "without a numeric id")]
    public void A_state_that_serves_no_CKD_request_is_refused_with_its_reason(string stateJson, string reason)
    {
        var e = Assert.Throws<FormatException>(() => NearRpcMpcDomains.CkdDomainIds("v1.signer", JsonNode.Parse(stateJson)));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public async Task The_state_view_is_read_over_RPC_and_failed_over_like_every_call()
    {
        JsonObject state = RealState();
        state["Running"]!["domains"]!["domains"] = JsonNode.Parse(AddDomainJson);
        _node.Given(Request.Create().WithPath("/").UsingPost().WithBody(b => b is not null && b.Contains("\"method_name\":\"state\"")))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(NearResponses.CallFunction(System.Text.Encoding.UTF8.GetBytes(state.ToJsonString()))));
        // The first endpoint refuses connections: the client moves on to the next one.
        var rpc = new NearRpcClient(_http, new NearRpcOptions
        {
            Endpoints = [new Uri("http://127.0.0.1:1/"), new Uri(_node.Url!)],
            BaseDelay = TimeSpan.FromMilliseconds(1),
            RequestTimeout = TimeSpan.FromSeconds(30), // a loaded machine answers slowly; only the refused connection may fail over
        });
        Assert.Equal([2UL], await new NearRpcMpcDomains(rpc, "v1.signer-prod.testnet").GetCkdDomainIdsAsync(CancellationToken.None));
    }
}
