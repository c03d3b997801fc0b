using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;

namespace Keystore.Tests.Api;

/// <summary>One reader for every JSON a client sends: lone surrogates and duplicate members are refused everywhere.</summary>
public class JsonInputTests : IAsyncLifetime
{
    private KeystoreServer _server = null!;

    public async Task InitializeAsync() => _server = await KeystoreServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonNode Body, string Raw)> SendAsync(HttpRequestMessage request)
    {
        using HttpResponseMessage response = await _server.Client.SendAsync(request);
        string raw = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(raw)!, raw);
    }

    private const string Tx = """{"type":"0x2","chainId":"0x1","nonce":"0x0","to":"0x3535353535353535353535353535353535353535","value":"0x1","gas":"0x5208","maxFeePerGas":"0x2","maxPriorityFeePerGas":"0x1"}""";

    public static TheoryData<string, string> LoneSurrogates => new()
    {
        { "ethereum", """{"message":"\ud800"}""" },
        { "ethereum", """{"message":"ok","encoding":"\udfff"}""" },
        { "ethereum", """{"transaction":{"type":"0x2","chainId":"\ud800","nonce":"0x0","gas":"0x5208","maxFeePerGas":"0x2","maxPriorityFeePerGas":"0x1"}}""" },
        { "ethereum", """{"transaction":{"type":"0x2","chainId":"0x1","nonce":"0x0","to":"0x3535353535353535353535353535353535353535","data":"\ud800","gas":"0x5208","maxFeePerGas":"0x2","maxPriorityFeePerGas":"0x1"}}""" },
        { "ethereum", """{"typedData":{"types":{"EIP712Domain":[]},"primaryType":"\ud800","domain":{},"message":{}}}""" },
        { "ethereum", """{"typedData":{"types":{"EIP712Domain":[{"name":"name","type":"string"}]},"primaryType":"EIP712Domain","domain":{"name":"\ud800"},"message":{}}}""" },
        { "bitcoin", """{"psbt":"\ud800"}""" },
        { "solana", """{"message":"\ud800"}""" },
        { "solana", """{"transaction":"\udbff\udbff"}""" },
        { "ethereum", """{"\ud800":1,"message":"x"}""" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates))]
    public async Task A_lone_surrogate_anywhere_is_400_invalid_json(string chain, string body)
    {
        var (status, problem, raw) = await SendAsync(_server.SignedPost($"/v1/accounts/alice.near/sign/{chain}", body));
        Assert.True(status == HttpStatusCode.BadRequest, raw);
        Assert.Equal("urn:near-tee-keystore:problem:invalid-json", problem["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"transaction\":" + Tx + ",\"transaction\":" + Tx + "}")]
    [InlineData("""{"message":"pay alice","message":"pay mallory"}""")]
    [InlineData("""{"index":0,"message":"x","index":1}""")]
    [InlineData("""{"typedData":{"types":{"EIP712Domain":[{"name":"name","type":"string"}]},"primaryType":"EIP712Domain","domain":{"name":"a","name":"b"},"message":{}}}""")]
    [InlineData("""{"x":[{"a":{"b":1,"b":2}}],"message":"x"}""")]
    public async Task Duplicate_members_at_any_depth_are_400_and_sign_nothing(string body)
    {
        var (status, problem, raw) = await SendAsync(_server.SignedPost("/v1/accounts/alice.near/sign/ethereum", body));
        Assert.True(status == HttpStatusCode.BadRequest, raw);
        Assert.Equal("urn:near-tee-keystore:problem:invalid-json", problem["type"]!.GetValue<string>());
        Assert.Contains("appears twice", problem["detail"]!.GetValue<string>());
        Assert.DoesNotContain("signature\":\"0x", raw);
    }

    [Fact]
    public async Task Members_with_the_same_name_in_different_objects_are_fine()
    {
        using HttpResponseMessage ok = await _server.Client.SendAsync(_server.SignedPost("/v1/accounts/alice.near/sign/ethereum",
            """{"typedData":{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"M":[{"name":"name","type":"string"}]},"primaryType":"M","domain":{"name":"d"},"message":{"name":"m"}}}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [InlineData("""{"accountId":"alice.near","accountId":"bob.near","publicKey":"ed25519:11111111111111111111111111111111","nonce":"AAAA","timestampMs":1,"signature":"AAAA"}""")]
    [InlineData("""{"accountId":"\ud800","publicKey":"ed25519:11111111111111111111111111111111","nonce":"AAAA","timestampMs":1,"signature":"AAAA"}""")]
    public async Task The_credential_obeys_the_same_rule(string credentialJson)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/accounts/alice.near/sign/ethereum") { Content = new StringContent("""{"message":"x"}""", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("NEAR", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentialJson)).TrimEnd('='));
        var (status, problem, _) = await SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("urn:near-tee-keystore:problem:invalid-authorization", problem["type"]!.GetValue<string>());
    }
}
