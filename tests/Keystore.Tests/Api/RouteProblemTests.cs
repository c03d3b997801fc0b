using System.Net;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;

namespace Keystore.Tests.Api;

/// <summary>Responses the HTTP stack produces itself carry the project's problem types too.</summary>
public class RouteProblemTests
{
    [Theory]
    [InlineData("GET", "/v1/nothing", HttpStatusCode.NotFound, "not-found")]
    [InlineData("GET", "/", HttpStatusCode.NotFound, "not-found")]
    [InlineData("POST", "/v1/accounts/alice.near/keys/ethereum/unpublish", HttpStatusCode.NotFound, "not-found")]
    [InlineData("DELETE", "/v1/health", HttpStatusCode.MethodNotAllowed, "method-not-allowed")]
    [InlineData("PUT", "/v1/accounts/alice.near/sign/ethereum", HttpStatusCode.MethodNotAllowed, "method-not-allowed")]
    [InlineData("GET", "/v1/accounts/alice.near/sign/ethereum", HttpStatusCode.MethodNotAllowed, "method-not-allowed")]
    public async Task No_route_and_wrong_method_are_project_problems(string method, string path, HttpStatusCode expected, string slug)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using HttpResponseMessage response = await server.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonNode problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:near-tee-keystore:problem:" + slug, problem["type"]!.GetValue<string>());
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        if (expected == HttpStatusCode.MethodNotAllowed)
            Assert.NotEmpty(response.Content.Headers.Allow);
    }
}
