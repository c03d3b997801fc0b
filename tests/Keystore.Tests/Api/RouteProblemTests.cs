using System.Net;
using System.Net.Sockets;
using System.Text;
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

    /// <summary>
    /// Requests Kestrel refuses before any application code runs: the answer is still a project problem.
    /// Sent over a raw socket, since HTTP clients will not send them.
    /// </summary>
    [Theory]
    [InlineData("GET /v1/accounts/alice.near/keys/eth%00ereum HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /v1/health%00 HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /v1/health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n")]
    [InlineData("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n")]
    [InlineData("POST /v1/accounts/alice.near/sign/ethereum HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n{}")]
    public async Task Requests_the_server_refuses_itself_are_400_problems(string raw)
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        string response = await SendRawAsync(server, raw);
        Assert.StartsWith("HTTP/1.1 400 ", response);
        Assert.Contains("\r\nContent-Type: application/problem+json\r\n", response);
        JsonNode problem = JsonNode.Parse(response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..])!;
        Assert.Equal("urn:near-tee-keystore:problem:invalid-request", problem["type"]!.GetValue<string>());
        Assert.Equal(400, problem["status"]!.GetValue<int>());

        // Ordinary requests on other connections are untouched, and the service still answers.
        using HttpResponseMessage health = await server.Client.GetAsync("/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Keep_alive_responses_pass_through_unchanged()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        string response = await SendRawAsync(server,
            "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK", response);
        Assert.Contains("{\"status\":\"ok\"}", response);
        Assert.Contains("HTTP/1.1 404 Not Found", response);
        Assert.Contains("urn:near-tee-keystore:problem:not-found", response);
    }

    private static async Task<string> SendRawAsync(KeystoreServer server, string raw)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Client.BaseAddress!.Host, server.Client.BaseAddress.Port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
        // No half-close: Kestrel would take it for the client leaving. Every case ends with the server closing.
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
