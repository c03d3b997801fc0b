using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Keystore.Audit;
using Keystore.Cli;
using Keystore.EndToEnd.Tests.Support;
using Keystore.Near.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Keystore.EndToEnd.Tests;

/// <summary>
/// The audit log's head anchored on the DAO by the worker key, and a rolled-back state database refused at boot. A class
/// of its own: the anchor is per DAO, so it gets its own local network.
/// </summary>
public sealed class AuditAnchorTests(NetworkFixture fixture, ITestOutputHelper output) : IClassFixture<NetworkFixture>
{
    private LocalKeystoreNetwork Net => fixture.Network;

    private async Task SignAsync(KeystoreNode node, string message)
    {
        string path = $"/v1/accounts/{LocalKeystoreNetwork.Owner}/sign/ethereum";
        using HttpResponseMessage response = await node.Client.SendAsync(
            KeystoreNode.SignedPost(path, new JsonObject { ["message"] = message }.ToJsonString(), LocalKeystoreNetwork.Owner, Net.Key(LocalKeystoreNetwork.Owner)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private Task<KeystoreNode> StartAsync(string sqlitePath, string interval, bool waitUntilReady = true) =>
        Net.StartKeystoreAsync(new Dictionary<string, string?>
        {
            ["Keystore:State:SqlitePath"] = sqlitePath,
            ["Keystore:Audit:AnchorInterval"] = interval,
        }, waitUntilReady);

    private static void CopyDatabase(string from, string to)
    {
        foreach (string suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(to + suffix)) File.Delete(to + suffix);
            if (File.Exists(from + suffix)) File.Copy(from + suffix, to + suffix);
        }
    }

    private static (int Code, string Output) VerifyAudit(params string[] args)
    {
        var text = new StringWriter();
        int code = KeystoreCommandLine.Run(["verify-audit", .. args], new InvocationConfiguration { Output = text, Error = text });
        return (code, text.ToString());
    }

    [Fact]
    public async Task The_head_is_anchored_by_the_worker_and_an_older_copy_of_the_store_is_refused_at_boot()
    {
        string folder = Path.Combine(Path.GetTempPath(), "keystore-audit-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string live = Path.Combine(folder, "state.db"), old = Path.Combine(folder, "old.db");
        try
        {
            // An instance writes one entry; the operator keeps a copy of the database as it is then.
            await using (KeystoreNode first = await StartAsync(live, "1.00:00:00"))
                await SignAsync(first, "one");
            CopyDatabase(live, old);

            // The next instance writes more, and its background service anchors the moved head within the interval.
            await using (KeystoreNode second = await StartAsync(live, "00:00:01"))
            {
                await SignAsync(second, "two");
                JsonNode? anchor = null;
                for (int i = 0; i < 120 && anchor?["sequence"]?.GetValue<long>() != 2; i++)
                {
                    await Task.Delay(500);
                    anchor = await Net.ViewAsync(LocalKeystoreNetwork.Dao, "get_audit_anchor");
                }
                Assert.Equal(2, anchor!["sequence"]!.GetValue<long>());
                JsonNode head = await second.GetJsonAsync("/v1/audit/head");
                Assert.Equal(head["hash"]!.GetValue<string>(), anchor["hash"]!.GetValue<string>());
                Assert.Equal((await second.GetJsonAsync("/v1/attestation"))["workerPublicKey"]!.GetValue<string>(), anchor["worker"]!.GetValue<string>());
            }

            // Anchoring once more by hand measures its gas; verify-audit checks the export against the DAO.
            await using (KeystoreNode third = await StartAsync(live, "1.00:00:00"))
            {
                await SignAsync(third, "three");
                AuditHead head = await third.Services.GetRequiredService<AuditLog>().GetHeadAsync(CancellationToken.None);
                Assert.Equal(3, head.Sequence);
                ExecutionOutcome outcome = await third.Services.GetRequiredService<AuditAnchorClient>().AnchorAsync(head, CancellationToken.None);
                ulong gas = GasLedger.Record("anchor_audit_head", outcome);
                output.WriteLine($"anchor_audit_head: {gas / 1e12:0.00} Tgas");
                Assert.True(gas < 10 * LocalKeystoreNetwork.Tgas, $"anchor_audit_head burnt {gas / 1e12:0.00} Tgas");

                string export = Path.Combine(folder, "chain.json"), partial = Path.Combine(folder, "partial.json");
                await File.WriteAllTextAsync(export, await third.Client.GetStringAsync("/v1/audit/chain"));
                await File.WriteAllTextAsync(partial, await third.Client.GetStringAsync("/v1/audit/chain?limit=2"));
                (int code, string text) = VerifyAudit("--log", export, "--rpc", Net.RpcUrl.ToString(), "--dao", LocalKeystoreNetwork.Dao);
                output.WriteLine(text);
                Assert.Equal(0, code);
                Assert.Contains("anchor ok: dao.test.near anchored sequence 3", text);
                (code, text) = VerifyAudit("--log", partial, "--rpc", Net.RpcUrl.ToString(), "--dao", LocalKeystoreNetwork.Dao);
                Assert.Equal(1, code);
                Assert.Contains("first bad entry: seq 3: missing; the log ends at 2 but dao.test.near anchored sequence 3", text);
            }

            // The operator restores the older copy (to reset spending windows, say): the boot refuses it.
            CopyDatabase(old, live);
            await using (KeystoreNode restored = await StartAsync(live, "1.00:00:00", waitUntilReady: false))
            {
                JsonNode ready = await restored.WaitForReadyBodyAsync(b => KeystoreNode.Step(b, "audit")?["state"]?.GetValue<string>() == "failed", TimeSpan.FromMinutes(2));
                string reason = KeystoreNode.Step(ready, "audit")!["lastError"]!.GetValue<string>();
                output.WriteLine(reason);
                Assert.Contains("The state database is behind the audit head anchored on NEAR: its log ends at sequence 1, the DAO holds sequence 3", reason);
                using HttpResponseMessage response = await restored.Client.GetAsync("/v1/ready");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                using HttpResponseMessage sign = await restored.Client.SendAsync(KeystoreNode.SignedPost($"/v1/accounts/{LocalKeystoreNetwork.Owner}/sign/ethereum",
                    """{"message":"after rollback"}""", LocalKeystoreNetwork.Owner, Net.Key(LocalKeystoreNetwork.Owner)));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, sign.StatusCode);
            }

            // Deleting the database is no way out either: an empty log is behind the anchor too.
            await using (KeystoreNode empty = await StartAsync(Path.Combine(folder, "fresh.db"), "1.00:00:00", waitUntilReady: false))
            {
                JsonNode ready = await empty.WaitForReadyBodyAsync(b => KeystoreNode.Step(b, "audit")?["state"]?.GetValue<string>() == "failed", TimeSpan.FromMinutes(2));
                Assert.Contains("its log ends at sequence 0, the DAO holds sequence 3", KeystoreNode.Step(ready, "audit")!["lastError"]!.GetValue<string>());
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
