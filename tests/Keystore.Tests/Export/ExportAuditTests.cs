using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;

namespace Keystore.Tests.Export;

/// <summary>Every export decision lands in the signed audit log: the export itself, and a refusal with its rule.</summary>
public sealed class ExportAuditTests
{
    private const string Account = KeystoreServer.Owner;
    private const string Recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(KeystoreServer server, HttpMethod method, string path, string? body)
    {
        using HttpRequestMessage request = NearRequests.Request(method, path, body,
            NearRequests.Credential(method.Method, path, Encoding.UTF8.GetBytes(body ?? ""), Account, server.OwnerKey));
        using HttpResponseMessage response = await server.Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task An_export_and_a_rate_limited_export_are_entries_of_the_owners_audit_log_without_the_secret()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:Export:PerAccountPerHour"] = "1" });
        string export = $$"""{"recipient":"{{Recipient}}","include":["mnemonic"]}""";
        (HttpStatusCode first, JsonNode? answer) = await SendAsync(server, HttpMethod.Post, $"/v1/accounts/{Account}/export", export);
        Assert.True(first == HttpStatusCode.OK, answer?.ToJsonString());
        (HttpStatusCode second, _) = await SendAsync(server, HttpMethod.Post, $"/v1/accounts/{Account}/export", export);
        Assert.Equal(HttpStatusCode.TooManyRequests, second);

        (HttpStatusCode read, JsonNode? log) = await SendAsync(server, HttpMethod.Get, $"/v1/accounts/{Account}/audit", null);
        Assert.Equal(HttpStatusCode.OK, read);
        JsonNode[] entries = log!["entries"]!.AsArray().Select(e => e!["entry"]!).ToArray();
        Assert.Equal(["exported", "denied"], entries.Select(e => e["kind"]!.GetValue<string>()));
        Assert.Equal("mnemonic", entries[0]["detail"]!.GetValue<string>());
        Assert.Equal(Recipient, entries[0]["destinations"]![0]!.GetValue<string>());
        Assert.Equal("export-rate-limit", entries[1]["rule"]!.GetValue<string>());
        // The log names what left and to whom, never a word of the mnemonic or the ciphertext.
        Assert.DoesNotContain(answer!["armored"]!.GetValue<string>()[40..80], log.ToJsonString(), StringComparison.Ordinal);
    }
}
