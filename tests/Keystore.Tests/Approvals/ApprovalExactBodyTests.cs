using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static Keystore.Tests.Approvals.ApprovalHarness;

namespace Keystore.Tests.Approvals;

/// <summary>
/// An approver must be able to recompute <c>payloadHash</c> from what <c>GET …/approvals/{id}</c> shows: the re-serialized
/// <c>request</c> escapes non-ASCII and HTML-sensitive characters and drops whitespace, so only the exact <c>body</c> bytes hash to it.
/// </summary>
public sealed class ApprovalExactBodyTests
{
    /// <summary>A transfer above the threshold, written as a person would: spaced, on several lines, with a memo in plain UTF-8.</summary>
    private static string HandWrittenTransfer() => $$"""
        {
          "transaction" : { "type": "0x2", "chainId": "0x1", "nonce": "0", "to": "{{Recipient}}", "value": "{{200 * Milli}}",
                            "gas": "21000", "maxFeePerGas": "0x4a817c800", "maxPriorityFeePerGas": "0x3b9aca00", "data": "0x" },
          "memo":   "Zahlung für Café <Ünïcødé> & Co — 日本 'quoted' \u00e9"
        }
        """;

    [Fact]
    public async Task An_approver_hashes_the_exact_body_to_the_payload_hash_while_the_reserialized_request_hashes_differently_and_is_refused()
    {
        await using ApprovalHarness h = await StartAsync();
        string sent = HandWrittenTransfer();
        string id = await h.OpenAsync(sent);

        (HttpStatusCode status, JsonNode? seen) = await h.GetAsync(id, "bob.near");
        Assert.Equal(HttpStatusCode.OK, status);
        string payloadHash = seen!["payloadHash"]!.GetValue<string>();
        byte[] exact = Base64Url.DecodeFromChars(seen["body"]!.GetValue<string>());
        Assert.Equal(Encoding.UTF8.GetBytes(sent), exact);
        Assert.Equal(payloadHash, Convert.ToHexStringLower(SHA256.HashData(exact)));
        Assert.Equal("Zahlung für Café <Ünïcødé> & Co — 日本 'quoted' é", seen["request"]!["memo"]!.GetValue<string>());

        // What an approver would hash without `body`: the request as shown, serialized again. It names another payload.
        string reserialized = HashOf(seen["request"]!.ToJsonString());
        Assert.NotEqual(payloadHash, reserialized);
        (HttpStatusCode wrong, JsonNode? problem) = await h.VoteAsync(id, "bob.near", reserialized);
        Assert.Equal(HttpStatusCode.Conflict, wrong);
        Assert.EndsWith(":payload-mismatch", problem!["type"]!.GetValue<string>());

        (HttpStatusCode first, JsonNode? afterBob) = await h.VoteAsync(id, "bob.near", payloadHash);
        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal("bob.near", Assert.Single(afterBob!["approvals"]!.AsArray())!["account"]!.GetValue<string>());
        Assert.Null(afterBob["body"]);
        (HttpStatusCode second, JsonNode? afterCarol) = await h.VoteAsync(id, "carol.near", payloadHash);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal("signed", afterCarol!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_owners_list_of_open_requests_shows_no_body()
    {
        await using ApprovalHarness h = await StartAsync();
        string id = await h.OpenAsync(HandWrittenTransfer());
        (HttpStatusCode status, JsonNode? page) = await h.SendAsync(HttpMethod.Get, $"/v1/accounts/{Account}/approvals", null, Account, h.Server.OwnerKey);
        Assert.Equal(HttpStatusCode.OK, status);
        JsonNode listed = Assert.Single(page!["approvals"]!.AsArray())!;
        Assert.Equal(id, listed["id"]!.GetValue<string>());
        Assert.Null(listed["body"]);
        Assert.Null(listed["request"]);
    }
}
