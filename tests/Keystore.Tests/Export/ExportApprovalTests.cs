using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Auth;
using Keystore.Policies.Schema;
using Keystore.Tests.Approvals;
using Keystore.Tests.Export.Support;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Export;

/// <summary>
/// The account policy's <c>export</c> member over real HTTP: <c>allowed: false</c> forbids, <c>approvals</c> holds the
/// export in the approvals store until m approvers approve its exact body, and the owner alone then reads the age
/// ciphertext, which the real <c>age</c> binary decrypts to the account's mnemonic (derived independently by the npm oracles).
/// </summary>
public class ExportApprovalTests
{
    private const string Account = ApprovalHarness.Account;
    private const string ExportPath = $"/v1/accounts/{Account}/export";
    private const string TwoOfTwo = """{"kind":"account","version":1,"export":{"allowed":true,"approvals":{"required":2,"approvers":["bob.near","carol.near"]}}}""";
    private const string Forbidden = """{"kind":"account","version":1,"export":{"allowed":false}}""";

    private static string ExportBody(string recipient) =>
        new JsonObject { ["recipient"] = recipient, ["include"] = new JsonArray("mnemonic", new JsonObject { ["chain"] = "ethereum", ["index"] = 0 }) }.ToJsonString();

    private static async Task SetAccountPolicyAsync(ApprovalHarness harness, string? rules)
    {
        string body = "{\"frozen\":false,\"rules\":" + (rules ?? "null") + "}";
        (HttpStatusCode status, JsonNode? answer) = await harness.SendAsync(HttpMethod.Put, $"/v1/accounts/{Account}/policy", body, Account, harness.Server.OwnerKey);
        Assert.True(status == HttpStatusCode.OK, answer?.ToJsonString());
    }

    private static Task<(HttpStatusCode Status, JsonNode? Body)> OwnerExportsAsync(ApprovalHarness harness, string body) =>
        harness.SendAsync(HttpMethod.Post, ExportPath, body, Account, harness.Server.OwnerKey);

    private static async Task<string> ExpectedMnemonicAsync()
    {
        byte[] master = Convert.FromHexString(KeystoreServer.MasterSecretHex);
        byte[] entropy = HMACSHA256.HashData(master, Encoding.UTF8.GetBytes("near-tee-keystore:v1:user:" + Account));
        JsonNode derived = await NodeOracle.RunAsync("keystore-secrets.mjs", new JsonObject
        {
            ["entropy"] = Convert.ToHexStringLower(entropy),
            ["indices"] = new JsonArray(0),
            ["bitcoinNetwork"] = "mainnet",
        });
        return derived["mnemonic"]!.GetValue<string>();
    }

    [Fact]
    public async Task An_account_policy_that_forbids_export_gets_403_policy_denied_naming_account_export_audited_and_nothing_encrypted()
    {
        await using ApprovalHarness harness = await ApprovalHarness.StartAsync();
        await SetAccountPolicyAsync(harness, Forbidden);
        using AgeCli age = await AgeCli.KeygenAsync();

        (HttpStatusCode status, JsonNode? problem) = await OwnerExportsAsync(harness, ExportBody(age.Recipient));

        Assert.True(status == HttpStatusCode.Forbidden, problem?.ToJsonString());
        Assert.Equal("urn:near-tee-keystore:problem:policy-denied", problem!["type"]!.GetValue<string>());
        Assert.Equal("account:export", problem["rule"]!.GetValue<string>());
        Assert.DoesNotContain("armored", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("AGE ENCRYPTED", problem.ToJsonString(), StringComparison.Ordinal);
        var audit = await harness.AuditAsync();
        Assert.Contains(audit, e => e.Kind == "denied" && e.Rule == "account:export");
        Assert.DoesNotContain(audit, e => e.Kind == "exported");
    }

    [Fact]
    public async Task An_account_policy_without_an_export_member_lets_the_owner_export_at_once()
    {
        await using ApprovalHarness harness = await ApprovalHarness.StartAsync();
        await SetAccountPolicyAsync(harness, """{"kind":"account","version":1,"requestsPerMinute":100}""");
        using AgeCli age = await AgeCli.KeygenAsync();

        (HttpStatusCode status, JsonNode? answer) = await OwnerExportsAsync(harness, ExportBody(age.Recipient));

        Assert.True(status == HttpStatusCode.OK, answer?.ToJsonString());
        AgeRun decrypted = await age.DecryptAsync(Encoding.ASCII.GetBytes(answer!["armored"]!.GetValue<string>()));
        Assert.True(decrypted.ExitCode == 0, decrypted.StdErr);
        Assert.Equal(await ExpectedMnemonicAsync(), JsonNode.Parse(decrypted.StdOut)!["mnemonic"]!.GetValue<string>());
        Assert.Contains(await harness.AuditAsync(), e => e.Kind == "exported");
    }

    [Fact]
    public async Task A_two_of_two_export_waits_then_the_owner_alone_reads_the_ciphertext_that_age_decrypts_to_the_mnemonic()
    {
        await using ApprovalHarness harness = await ApprovalHarness.StartAsync();
        await SetAccountPolicyAsync(harness, TwoOfTwo);
        using AgeCli age = await AgeCli.KeygenAsync();
        string body = ExportBody(age.Recipient);

        using var request = new HttpRequestMessage(HttpMethod.Post, ExportPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "NEAR " + KeystoreServer.Credential("POST", ExportPath, Encoding.UTF8.GetBytes(body), Account, harness.Server.OwnerKey, null));
        using HttpResponseMessage response = await harness.Server.Client.SendAsync(request);
        string raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, raw);
        JsonNode pending = JsonNode.Parse(raw)!;
        string id = pending["id"]!.GetValue<string>();
        Assert.Equal("pending", pending["state"]!.GetValue<string>());
        Assert.Equal("export", pending["chain"]!.GetValue<string>());
        Assert.Equal("account:export", pending["rule"]!.GetValue<string>());
        Assert.Equal(ApprovalHarness.HashOf(body), pending["payloadHash"]!.GetValue<string>());
        Assert.Equal($"/v1/accounts/{Account}/approvals/{id}", response.Headers.Location!.OriginalString);
        Assert.DoesNotContain("AGE ENCRYPTED", raw, StringComparison.Ordinal);

        // The approver sees what it approves (the recipient and what leaves), never any secret.
        (HttpStatusCode seen, JsonNode? shown) = await harness.GetAsync(id, "bob.near");
        Assert.Equal(HttpStatusCode.OK, seen);
        Assert.Equal(age.Recipient, shown!["request"]!["recipient"]!.GetValue<string>());

        (HttpStatusCode first, JsonNode? one) = await harness.VoteAsync(id, "bob.near", ApprovalHarness.HashOf(body));
        Assert.True(first == HttpStatusCode.OK, one?.ToJsonString());
        Assert.Equal("pending", one!["state"]!.GetValue<string>());
        Assert.DoesNotContain(await harness.AuditAsync(), e => e.Kind == "exported");

        (HttpStatusCode second, JsonNode? two) = await harness.VoteAsync(id, "carol.near", ApprovalHarness.HashOf(body));
        Assert.True(second == HttpStatusCode.OK, two?.ToJsonString());
        Assert.Equal("exported", two!["state"]!.GetValue<string>());
        Assert.Null(two["result"]); // the last approver does not receive the export

        (HttpStatusCode approverGet, JsonNode? approverView) = await harness.GetAsync(id, "carol.near");
        Assert.Equal(HttpStatusCode.OK, approverGet);
        Assert.Null(approverView!["result"]);

        (HttpStatusCode ownerGet, JsonNode? ownerView) = await harness.GetAsync(id, Account);
        Assert.True(ownerGet == HttpStatusCode.OK, ownerView?.ToJsonString());
        JsonNode result = ownerView!["result"]!;
        Assert.Equal(["mnemonic", "ethereum/0"], result["contents"]!.AsArray().Select(n => n!.GetValue<string>()));
        AgeRun decrypted = await age.DecryptAsync(Encoding.ASCII.GetBytes(result["armored"]!.GetValue<string>()));
        Assert.True(decrypted.ExitCode == 0, decrypted.StdErr);
        Assert.Equal(await ExpectedMnemonicAsync(), JsonNode.Parse(decrypted.StdOut)!["mnemonic"]!.GetValue<string>());

        var audit = await harness.AuditAsync();
        Assert.Contains(audit, e => e.Kind == "pending" && e.Rule == "account:export" && e.PayloadHash == ApprovalHarness.HashOf(body));
        Assert.Single(audit, e => e.Kind == "exported");
    }

    [Fact]
    public async Task An_approval_naming_another_body_hash_is_refused_and_counts_for_nothing()
    {
        await using ApprovalHarness harness = await ApprovalHarness.StartAsync();
        await SetAccountPolicyAsync(harness, TwoOfTwo);
        using AgeCli age = await AgeCli.KeygenAsync();
        string body = ExportBody(age.Recipient);
        (HttpStatusCode status, JsonNode? pending) = await OwnerExportsAsync(harness, body);
        Assert.True(status == HttpStatusCode.Accepted, pending?.ToJsonString());
        string id = pending!["id"]!.GetValue<string>();

        (HttpStatusCode vote, JsonNode? problem) = await harness.VoteAsync(id, "bob.near", ApprovalHarness.HashOf(body + " "));

        Assert.Equal(HttpStatusCode.Conflict, vote);
        Assert.Equal("urn:near-tee-keystore:problem:payload-mismatch", problem!["type"]!.GetValue<string>());
        (_, JsonNode? view) = await harness.GetAsync(id, Account);
        Assert.Empty(view!["approvals"]!.AsArray());
        Assert.Equal("pending", view["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_export_forbidden_while_it_waited_ends_denied_at_the_last_approval_and_nothing_is_exported()
    {
        await using ApprovalHarness harness = await ApprovalHarness.StartAsync();
        await SetAccountPolicyAsync(harness, TwoOfTwo);
        using AgeCli age = await AgeCli.KeygenAsync();
        string body = ExportBody(age.Recipient);
        (HttpStatusCode status, JsonNode? pending) = await OwnerExportsAsync(harness, body);
        Assert.True(status == HttpStatusCode.Accepted, pending?.ToJsonString());
        string id = pending!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await harness.VoteAsync(id, "bob.near", ApprovalHarness.HashOf(body))).Status);

        await SetAccountPolicyAsync(harness, Forbidden);
        (HttpStatusCode last, JsonNode? ended) = await harness.VoteAsync(id, "carol.near", ApprovalHarness.HashOf(body));

        Assert.True(last == HttpStatusCode.OK, ended?.ToJsonString());
        Assert.Equal("denied", ended!["state"]!.GetValue<string>());
        Assert.Equal("account:export", ended["deniedRule"]!.GetValue<string>());
        (_, JsonNode? ownerView) = await harness.GetAsync(id, Account);
        Assert.Null(ownerView!["result"]);
        var audit = await harness.AuditAsync();
        Assert.Contains(audit, e => e.Kind == "denied" && e.Rule == "account:export");
        Assert.DoesNotContain(audit, e => e.Kind == "exported");
    }

    [Fact]
    public async Task An_export_asked_for_by_a_key_removed_from_the_account_while_it_waited_ends_denied_at_the_last_approval()
    {
        // A stolen full-access key asks for an export to the thief's age key; the owner removes that key from the account
        // (as on NEAR) before the approvers finish. As an agent's revoked key ends its pending requests, so must this.
        using var stolen = Key.Create(SignatureAlgorithm.Ed25519);
        RemovableOwnerKey? owners = null;
        Dictionary<string, Key> people = ApprovalHarness.NewPeople();
        KeystoreServer server = await KeystoreServer.StartAsync(ApprovalHarness.PeopleSettings(people), b => b.Services.AddSingleton<IOwnerKeySource>(sp =>
            owners = new RemovableOwnerKey(sp.GetRequiredService<ConfiguredOwnerKeySource>(), Account, stolen)));
        await using ApprovalHarness harness = await ApprovalHarness.StartOnAsync(server, people);
        await SetAccountPolicyAsync(harness, TwoOfTwo);
        using AgeCli age = await AgeCli.KeygenAsync();
        string body = ExportBody(age.Recipient);
        (HttpStatusCode status, JsonNode? pending) = await harness.SendAsync(HttpMethod.Post, ExportPath, body, Account, stolen);
        Assert.True(status == HttpStatusCode.Accepted, pending?.ToJsonString());
        string id = pending!["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await harness.VoteAsync(id, "bob.near", ApprovalHarness.HashOf(body))).Status);

        owners!.Remove();
        (HttpStatusCode last, JsonNode? ended) = await harness.VoteAsync(id, "carol.near", ApprovalHarness.HashOf(body));

        Assert.True(last == HttpStatusCode.OK, ended?.ToJsonString());
        Assert.Equal("denied", ended!["state"]!.GetValue<string>());
        Assert.Equal("owner-key-removed", ended["deniedRule"]!.GetValue<string>());
        (_, JsonNode? ownerView) = await harness.GetAsync(id, Account);
        Assert.Null(ownerView!["result"]);
        var audit = await harness.AuditAsync();
        Assert.Contains(audit, e => e.Kind == "denied" && e.Rule == "owner-key-removed");
        Assert.DoesNotContain(audit, e => e.Kind == "exported");
        ApprovalHarness.DisposePeople(people);
    }

    /// <summary>The configured owners, and one more full-access key of <c>account</c> that the test removes (as its owner would on NEAR).</summary>
    private sealed class RemovableOwnerKey(ConfiguredOwnerKeySource configured, string account, Key extra) : IOwnerKeySource
    {
        private readonly Keystore.Near.Keys.Ed25519PublicKey _extra = new(extra.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        private volatile bool _removed;

        public void Remove() => _removed = true;

        public async Task<IReadOnlySet<Keystore.Near.Keys.Ed25519PublicKey>> GetFullAccessKeysAsync(string accountId, CancellationToken cancellationToken)
        {
            IReadOnlySet<Keystore.Near.Keys.Ed25519PublicKey> keys = await configured.GetFullAccessKeysAsync(accountId, cancellationToken);
            return accountId != account || _removed ? keys : new HashSet<Keystore.Near.Keys.Ed25519PublicKey>(keys) { _extra };
        }
    }

    [Theory]
    [InlineData("""{"allowed":"no"}""", "$.export.allowed")]
    [InlineData("""{}""", "$.export.allowed")]
    [InlineData("""[]""", "$.export")]
    [InlineData("""{"allowed":true,"approve":1}""", "$.export.approve")]
    [InlineData("""{"allowed":false,"approvals":{"required":1,"approvers":["bob.near"]}}""", "$.export.approvals")]
    [InlineData("""{"allowed":true,"approvals":{"required":3,"approvers":["bob.near","carol.near"]}}""", "$.export.approvals.required")]
    [InlineData("""{"allowed":true,"approvals":{"required":0,"approvers":["bob.near"]}}""", "$.export.approvals.required")]
    [InlineData("""{"allowed":true,"approvals":{"required":1,"approvers":[]}}""", "$.export.approvals.approvers")]
    [InlineData("""{"allowed":true,"approvals":{"required":1,"approvers":["Bob!"]}}""", "$.export.approvals.approvers[0]")]
    [InlineData("""{"allowed":true,"approvals":{"required":1,"approvers":["bob.near","bob.near"]}}""", "$.export.approvals.approvers[1]")]
    [InlineData("""{"allowed":true,"approvals":{"required":1,"approvers":["bob.near"],"above":{}}}""", "$.export.approvals.above")]
    public void A_bad_export_member_is_refused_naming_the_field(string export, string path)
    {
        PolicyValidation result = PolicyDocumentValidator.ValidateAccount(Encoding.UTF8.GetBytes("""{"kind":"account","version":1,"export":""" + export + "}"));

        Assert.False(result.IsValid);
        Assert.Equal(path, result.Error!.Path);
    }

    [Fact]
    public void A_valid_export_member_reads_as_its_rule()
    {
        PolicyValidation result = PolicyDocumentValidator.ValidateAccount(Encoding.UTF8.GetBytes(TwoOfTwo));

        Assert.True(result.IsValid, result.Error?.ToString());
        Assert.Equal(new[] { "bob.near", "carol.near" }, result.Account!.Export!.Approvals!.Approvers);
        Assert.Equal(2, result.Account.Export.Approvals.Required);
        Assert.True(result.Account.Export.Allowed);
    }

    [Fact]
    public async Task Hostile_policy_and_export_bodies_get_4xx_problems_never_a_5xx()
    {
        await using ApprovalHarness harness = await ApprovalHarness.StartAsync();
        string[] policies =
        [
            """{"kind":"account","version":1,"export":{"allowed":null}}""",
            """{"kind":"account","version":1,"export":{"allowed":true,"approvals":{"required":1e400,"approvers":["bob.near"]}}}""",
            """{"kind":"account","version":1,"export":{"allowed":true,"approvals":{"required":1,"approvers":[{"a":1}]}}}""",
            """{"kind":"account","version":1,"export":{"allowed":true,"allowed":false}}""",
            """{"kind":"account","version":1,"export":"\ud800"}""",
        ];
        foreach (string rules in policies)
        {
            (HttpStatusCode status, JsonNode? problem) = await harness.SendAsync(HttpMethod.Put, $"/v1/accounts/{Account}/policy",
                "{\"frozen\":false,\"rules\":" + rules + "}", Account, harness.Server.OwnerKey);
            Assert.True(status == HttpStatusCode.BadRequest, $"{rules}: {status} {problem?.ToJsonString()}");
            // Strict JSON (a member named twice, a lone surrogate) is refused before the policy is read.
            Assert.Contains(problem!["type"]!.GetValue<string>(), new[] { "urn:near-tee-keystore:problem:invalid-policy", "urn:near-tee-keystore:problem:invalid-json" });
        }

        await SetAccountPolicyAsync(harness, TwoOfTwo);
        string[] bodies =
        [
            "", "null", "[]", "{}", """{"recipient":"age1","include":["mnemonic"]}""", """{"recipient":1,"include":["mnemonic"]}""",
            """{"recipient":"age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj","include":[{"chain":"ethereum","index":-1}]}""",
            """{"recipient":"age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj","include":["mnemonic","mnemonic"]}""",
            """{"recipient":"age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj","include":["mnemonic"],"x":1}""",
            "{\"recipient\":\"\\ud800\",\"include\":[\"mnemonic\"]}",
        ];
        foreach (string body in bodies)
        {
            (HttpStatusCode status, JsonNode? problem) = await OwnerExportsAsync(harness, body);
            Assert.True((int)status is >= 400 and < 500, $"{body}: {status} {problem?.ToJsonString()}");
        }
        (_, JsonNode? open) = await harness.SendAsync(HttpMethod.Get, $"/v1/accounts/{Account}/approvals", null, Account, harness.Server.OwnerKey);
        Assert.Empty(open!["approvals"]!.AsArray()); // nothing malformed was put up for approval
    }
}
