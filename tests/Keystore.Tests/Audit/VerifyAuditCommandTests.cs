using System.CommandLine;
using System.Text.Json.Nodes;
using Keystore.Audit;
using Keystore.Cli;
using Keystore.Tests.State;
using Keystore.TestSupport.State;

namespace Keystore.Tests.Audit;

public class VerifyAuditCommandTests
{
    private static (int Code, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        int code = KeystoreCommandLine.Run(["verify-audit", .. args], new InvocationConfiguration { Output = output, Error = output });
        return (code, output.ToString());
    }

    private static async Task<JsonObject> ExportAsync(int entries)
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync();
        using var key = new AuditKey(db.State);
        var log = new AuditLog(db.Store, key);
        log.MarkChecked();
        for (int i = 0; i < entries; i++)
            await log.AppendAsync(new AuditEvent("alice.near", AuditKinds.Signed) { Chain = "solana" }, CancellationToken.None);
        return AuditChainExport.ToJson(key.PublicKeyText, await log.GetChainAsync(0, 1000, CancellationToken.None));
    }

    private static string Write(JsonObject export)
    {
        string path = Path.Combine(Path.GetTempPath(), "audit-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, export.ToJsonString());
        return path;
    }

    [Fact]
    public async Task An_intact_export_passes()
    {
        string path = Write(await ExportAsync(4));
        try
        {
            (int code, string output) = Run("--log", path);
            Assert.Equal(0, code);
            Assert.Contains("chain ok: 4 entries (seq 1..4)", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("contentHash", "seq 3: hash ")]
    [InlineData("signature", "seq 3: the signature is not the audit key's signature of the hash")]
    [InlineData("prev", "seq 3: prev ")]
    public async Task A_tampered_entry_is_named_as_the_first_bad_one(string field, string expected)
    {
        JsonObject export = await ExportAsync(5);
        JsonNode entry = export["entries"]![2]!;
        char[] hex = entry[field]!.GetValue<string>().ToCharArray();
        hex[10] = hex[10] == '0' ? '1' : '0';
        entry[field] = new string(hex);
        string path = Write(export);
        try
        {
            (int code, string output) = Run("--log", path);
            Assert.Equal(1, code);
            Assert.Contains("first bad entry: " + expected, output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Dropped_and_reordered_entries_and_another_key_are_refused()
    {
        JsonObject export = await ExportAsync(5);
        JsonArray entries = export["entries"]!.AsArray();
        JsonNode third = entries[2]!;
        entries.RemoveAt(2);
        string dropped = Write(export);
        entries.Insert(3, third);
        string reordered = Write(export);
        entries.RemoveAt(3);
        entries.Insert(2, third);
        export["auditPublicKey"] = "ed25519:DcA2MzgpJbrUATQLLceocVckhhAqrkingax4oJ9kZ847";
        string otherKey = Write(export);
        try
        {
            Assert.Contains("first bad entry: seq 4: sequence 4 follows 2", Run("--log", dropped).Output);
            Assert.Contains("first bad entry: seq 4: sequence 4 follows 2", Run("--log", reordered).Output);
            (int code, string output) = Run("--log", otherKey);
            Assert.Equal(1, code);
            Assert.Contains("first bad entry: seq 1: the signature is not the audit key's signature", output);
        }
        finally
        {
            File.Delete(dropped);
            File.Delete(reordered);
            File.Delete(otherKey);
        }
    }

    [Fact]
    public void Unusable_input_exits_2_with_the_reason()
    {
        string path = Path.Combine(Path.GetTempPath(), "audit-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """{"auditPublicKey":"ed25519:x","entries":[{"seq":"one"}]}""");
        try
        {
            (int code, string output) = Run("--log", path);
            Assert.Equal(2, code);
            Assert.Contains("entries[0] is malformed", output);
            Assert.Equal(2, Run("--log", path, "--rpc", "http://127.0.0.1:1").Code);
            Assert.Equal(2, Run("--log", path + ".missing").Code);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
