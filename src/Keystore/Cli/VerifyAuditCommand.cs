using System.CommandLine;
using Keystore.Audit;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;

namespace Keystore.Cli;

/// <summary>
/// <c>verify-audit --log F --rpc URL --dao ID</c>: checks an export of <c>GET /v1/audit/chain</c> (every entry's signature
/// by the audit key, the hash chain, consecutive sequences) and that the head anchored on the DAO is in it with the same
/// hash. Prints the first bad entry; exits 0 when everything holds, 1 when something does not, 2 when the input is unusable.
/// </summary>
public static class VerifyAuditCommand
{
    public static Command Create()
    {
        var log = new Option<FileInfo>("--log") { Description = "the JSON answer of GET /v1/audit/chain (all entries from sequence 1, or from --after)", Required = true };
        var rpc = new Option<string?>("--rpc") { Description = "NEAR RPC URL, to check the anchored head" };
        var dao = new Option<string?>("--dao") { Description = "tee-dao account whose get_audit_anchor holds the head" };
        var key = new Option<string?>("--audit-key") { Description = "expected audit public key (ed25519:…), e.g. from /v1/attestation; default: the log's" };
        var command = new Command("verify-audit", "Verify an audit-log export: signatures, hash chain and the NEAR anchor") { log, rpc, dao, key };
        command.SetAction(result =>
        {
            TextWriter output = result.InvocationConfiguration.Output, error = result.InvocationConfiguration.Error;
            string? rpcUrl = result.GetValue(rpc), daoId = result.GetValue(dao);
            if ((rpcUrl is null) != (daoId is null))
            {
                error.WriteLine("input: --rpc and --dao go together");
                return 2;
            }
            string publicKeyText;
            IReadOnlyList<AuditEntry> entries;
            try
            {
                (publicKeyText, entries) = AuditChainExport.Parse(File.ReadAllText(result.GetValue(log)!.FullName));
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine("input: " + e.Message);
                return 2;
            }
            if (result.GetValue(key) is { } pinned && pinned != publicKeyText)
            {
                error.WriteLine($"verification failed: the log names audit key {publicKeyText}, not {pinned}");
                return 1;
            }
            if (!Ed25519PublicKey.TryParse(publicKeyText, out Ed25519PublicKey auditKey))
            {
                error.WriteLine("input: auditPublicKey is not 'ed25519:<base58>'");
                return 2;
            }
            if (AuditChainVerifier.FirstBad(auditKey, entries) is { } bad)
            {
                error.WriteLine($"verification failed: first bad entry: seq {bad.Sequence}: {bad.Reason}");
                return 1;
            }
            long first = entries.Count == 0 ? 0 : entries[0].Sequence, last = entries.Count == 0 ? 0 : entries[^1].Sequence;
            output.WriteLine($"chain ok: {entries.Count} entries (seq {first}..{last}), signed by {publicKeyText}");
            if (rpcUrl is null) return 0;

            AuditAnchor? anchor;
            try
            {
                using var http = new HttpClient();
                var client = new NearRpcClient(http, new NearRpcOptions { Endpoints = [new Uri(rpcUrl)] });
                anchor = AuditAnchorClient.Parse(client.CallFunctionJsonAsync(daoId!, "get_audit_anchor", "{}").GetAwaiter().GetResult(), daoId!);
            }
            catch (Exception e) when (e is HttpRequestException or NearRpcException or FormatException or UriFormatException or TaskCanceledException)
            {
                error.WriteLine("anchor: cannot read " + daoId + ".get_audit_anchor: " + e.Message);
                return 2;
            }
            if (anchor is null)
            {
                output.WriteLine($"anchor: {daoId} holds no audit anchor yet");
                return 0;
            }
            if (anchor.Sequence > last)
            {
                error.WriteLine($"verification failed: first bad entry: seq {last + 1}: missing; the log ends at {last} but {daoId} anchored sequence {anchor.Sequence}");
                return 1;
            }
            AuditEntry? atAnchor = entries.FirstOrDefault(e => e.Sequence == anchor.Sequence);
            if (atAnchor is null)
            {
                output.WriteLine($"anchor: sequence {anchor.Sequence} is before this export (from {first}); not compared");
                return 0;
            }
            if (!atAnchor.Hash.AsSpan().SequenceEqual(anchor.Hash))
            {
                error.WriteLine($"verification failed: first bad entry: seq {anchor.Sequence}: hash {Convert.ToHexStringLower(atAnchor.Hash)} is not the anchored {Convert.ToHexStringLower(anchor.Hash)}");
                return 1;
            }
            output.WriteLine($"anchor ok: {daoId} anchored sequence {anchor.Sequence} (block {anchor.BlockHeight}), the same hash as the log");
            return 0;
        });
        return command;
    }
}
