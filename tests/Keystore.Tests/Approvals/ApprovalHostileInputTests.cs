using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using static Keystore.Tests.Approvals.ApprovalHarness;

namespace Keystore.Tests.Approvals;

/// <summary>Hostile ids, bodies and queries on every approval route get a 4xx problem, never a 5xx, and change nothing.</summary>
public sealed class ApprovalHostileInputTests
{
    private static readonly string[] Ids =
    [
        "x", "AAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAB", "AAAAAAAAAAAAAAAAAAAA==", "AAAAAAAAAAAAAAAAAAAAA.", "%00", "%2e%2e",
        new string('A', 4000), "AAAAAAAAAAAAAAAAAAAAA%C3%A9", "..", "AAAAAAAAAAAAAAAAAAAAAA%20",
    ];

    private static readonly string[] Bodies =
    [
        "", "{", "[]", "null", "{\"payloadHash\":1}", "{\"payloadHash\":\"zz\"}", "{\"payloadHash\":\"" + new string('g', 64) + "\"}",
        "{\"payloadHash\":\"" + new string('a', 64) + "\",\"extra\":true}", "{\"payloadHash\":\"" + new string('a', 64) + "\",\"payloadHash\":\"" + new string('b', 64) + "\"}",
        "{\"payloadHash\":\"\\ud800\"}", "{\"payloadHash\":\"" + new string('a', 100_000) + "\"}",
    ];

    [Fact]
    public async Task Hostile_ids_bodies_and_queries_never_get_a_5xx()
    {
        await using ApprovalHarness h = await StartAsync();
        string body = Transfer(200 * Milli, 0);
        string id = await h.OpenAsync(body);
        string root = $"/v1/accounts/{Account}/approvals";

        foreach (string bad in Ids)
        {
            await ExpectProblemAsync(h, HttpMethod.Get, $"{root}/{bad}", null, Account);
            await ExpectProblemAsync(h, HttpMethod.Get, $"{root}/{bad}", null, "bob.near");
            await ExpectProblemAsync(h, HttpMethod.Post, $"{root}/{bad}/approve", Vote(HashOf(body)), "bob.near");
            await ExpectProblemAsync(h, HttpMethod.Post, $"{root}/{bad}/reject", Vote(HashOf(body)), "carol.near");
            await ExpectProblemAsync(h, HttpMethod.Delete, $"{root}/{bad}", null, Account);
        }
        foreach (string bad in Bodies)
        {
            await ExpectProblemAsync(h, HttpMethod.Post, $"{root}/{id}/approve", bad, "bob.near");
            await ExpectProblemAsync(h, HttpMethod.Post, $"{root}/{id}/reject", bad, "carol.near");
        }
        foreach (string query in new[] { "limit=0", "limit=101", "limit=abc", "limit=1&limit=2", "cursor=x", "cursor=1.AAAA", "cursor=99999999999999999999." + new string('A', 43) })
            await ExpectProblemAsync(h, HttpMethod.Get, $"{root}?{query}", null, Account);
        // A body where none is taken, an unsigned request, a credential for another account's route.
        await ExpectProblemAsync(h, HttpMethod.Delete, $"{root}/{id}", "{}", Account);
        await ExpectProblemAsync(h, HttpMethod.Get, $"{root}/{id}", "{}", "bob.near");
        using (HttpResponseMessage unsigned = await h.Server.Client.PostAsync($"{root}/{id}/approve", new StringContent(Vote(HashOf(body)), Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        await ExpectProblemAsync(h, HttpMethod.Get, $"/v1/accounts/NOT..VALID/approvals/{id}", null, "bob.near");

        // None of it counted: the request is pending with no vote.
        (HttpStatusCode status, JsonNode? view) = await h.GetAsync(id, Account);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("pending", view!["state"]!.GetValue<string>());
        Assert.Empty(view["approvals"]!.AsArray());
        Assert.Empty(view["rejections"]!.AsArray());
    }

    private static async Task ExpectProblemAsync(ApprovalHarness h, HttpMethod method, string path, string? body, string account)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "NEAR " + KeystoreServer.Credential(method.Method, path, Encoding.UTF8.GetBytes(body ?? ""), account, h.KeyOf(account)));
        using HttpResponseMessage response = await h.Server.Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method} {path[..Math.Min(path.Length, 80)]} {body?[..Math.Min(body.Length, 60)]}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
