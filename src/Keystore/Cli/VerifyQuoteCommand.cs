using System.CommandLine;
using System.Text.Json.Nodes;
using Keystore.Attestation.Collateral;
using Keystore.Attestation.EventLog;
using Keystore.Attestation.Quotes;
using Keystore.Attestation.Verification;

namespace Keystore.Cli;

/// <summary>
/// <c>verify-quote (--quote FILE --collateral FILE [--event-log FILE] | --attestation FILE) [--root-ca FILE] [--at UNIX]
/// [--min-tcb-evaluation-data-number N] [--json]</c>: offline DCAP verification of a TDX quote (raw or hex file), or of a
/// keystore's <c>GET /v1/attestation</c> JSON as saved, for operators and scripts. A failure names the check, and for
/// certificate checks the certificate and the root it was verified against.
/// </summary>
public static class VerifyQuoteCommand
{
    public static Command Create()
    {
        var quote = new Option<FileInfo?>("--quote") { Description = "quote file (raw bytes or hex text)" };
        var collateral = new Option<FileInfo?>("--collateral") { Description = "collateral JSON (dcap-qvl QuoteCollateralV3)" };
        var attestation = new Option<FileInfo?>("--attestation") { Description = "a keystore's GET /v1/attestation JSON (quote, collateral and event log in one file)" };
        var rootCa = new Option<FileInfo?>("--root-ca") { Description = "trust this root CA (DER) instead of the Intel SGX Root CA" };
        var at = new Option<long?>("--at") { Description = "verification time, unix seconds (default: now)" };
        var minEvaluation = new Option<uint>("--min-tcb-evaluation-data-number") { Description = "refuse TCB info and QE identity with a lower tcbEvaluationDataNumber (default 0: any)" };
        var eventLog = new Option<FileInfo?>("--event-log") { Description = "dstack event log JSON; its RTMR3 replay must equal the quote's" };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };

        var command = new Command("verify-quote", "Verify a TDX quote against DCAP collateral") { quote, collateral, attestation, rootCa, at, minEvaluation, eventLog, json };
        command.Validators.Add(r =>
        {
            bool fromAttestation = r.GetValue(attestation) is not null;
            bool fromFiles = r.GetValue(quote) is not null || r.GetValue(collateral) is not null;
            if (fromAttestation && fromFiles)
                r.AddError("Give either --attestation or --quote with --collateral, not both.");
            else if (!fromAttestation && (r.GetValue(quote) is null || r.GetValue(collateral) is null))
                r.AddError("Give --quote and --collateral, or --attestation.");
        });
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var asJson = result.GetValue(json);
            string root = result.GetValue(rootCa) is { } rootFile ? $"--root-ca {rootFile.Name}" : "the pinned Intel SGX Root CA";
            bool simulated = false;
            try
            {
                byte[] raw;
                QuoteCollateralV3 coll;
                string? eventLogJson = null;
                if (result.GetValue(attestation) is { } attestationFile)
                {
                    (raw, coll, eventLogJson, simulated) = ReadAttestation(attestationFile.FullName);
                }
                else
                {
                    raw = TdxQuote.DecodeQuoteFile(File.ReadAllBytes(result.GetValue(quote)!.FullName));
                    coll = QuoteCollateralV3.FromJson(File.ReadAllText(result.GetValue(collateral)!.FullName));
                }
                if (result.GetValue(rootCa) is { } rootDer)
                    root = $"--root-ca {rootDer.Name} ({RootSubject(File.ReadAllBytes(rootDer.FullName))})";
                var minimum = result.GetValue(minEvaluation);
                var verifier = result.GetValue(rootCa) is { } rootFileInfo ? new DcapQuoteVerifier(File.ReadAllBytes(rootFileInfo.FullName), minimum)
                    : minimum > 0 ? new DcapQuoteVerifier(minTcbEvaluationDataNumber: minimum) : DcapQuoteVerifier.Intel;
                var time = result.GetValue(at) is { } unix ? DateTimeOffset.FromUnixTimeSeconds(unix) : DateTimeOffset.UtcNow;
                var verified = verifier.Verify(raw, coll, time);
                byte[]? replay = null;
                if (result.GetValue(eventLog) is { } logFile)
                    eventLogJson = File.ReadAllText(logFile.FullName);
                if (eventLogJson is not null)
                    replay = DstackEventLog.Parse(eventLogJson).VerifyRtmr3(verified.Report.Rtmr3);
                output.WriteLine(asJson ? ToJson(verified, replay) : ToText(verified, replay));
                return 0;
            }
            catch (Exception e) when (e is QuoteVerificationException or EventLogException or IOException or System.Text.Json.JsonException or UnauthorizedAccessException or Org.BouncyCastle.Security.Certificates.CertificateException)
            {
                var message = e switch
                {
                    QuoteVerificationException q when IsCertificateCheck(q) => $"{q.Message} (verified against {root}{(simulated
                        ? "; this attestation says simulated: the local test PKI signed it, pass that root with --root-ca" : "")})",
                    QuoteVerificationException q => q.Message,
                    EventLogException l => "event_log: " + l.Message,
                    System.Text.Json.JsonException => "collateral: not valid collateral JSON",
                    _ => "input: " + e.Message,
                };
                if (asJson) output.WriteLine(new JsonObject { ["error"] = message }.ToJsonString());
                else result.InvocationConfiguration.Error.WriteLine("verification failed: " + message);
                return 1;
            }
        });
        return command;
    }

    private static string Hex(byte[] b) => Convert.ToHexStringLower(b);

    /// <summary>The quote, collateral and event log of a saved <c>GET /v1/attestation</c> answer.</summary>
    private static (byte[] Quote, QuoteCollateralV3 Collateral, string? EventLog, bool Simulated) ReadAttestation(string path)
    {
        JsonNode document = JsonNode.Parse(File.ReadAllText(path)) ?? throw new IOException("the attestation file is empty");
        string quoteHex = document["quote"]?.GetValue<string>() ?? throw new IOException("the attestation JSON has no 'quote'");
        JsonNode collateralJson = document["collateral"] ?? throw new IOException("the attestation JSON has no 'collateral'");
        byte[] raw;
        try
        {
            raw = Convert.FromHexString(quoteHex);
        }
        catch (FormatException)
        {
            throw new IOException("the attestation's 'quote' is not hex");
        }
        bool simulated = document["simulated"] is JsonValue v && v.TryGetValue(out bool b) && b;
        return (raw, QuoteCollateralV3.FromJson(collateralJson.ToJsonString()), document["eventLog"]?.ToJsonString(), simulated);
    }

    private static bool IsCertificateCheck(QuoteVerificationException e) =>
        e.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("root", StringComparison.OrdinalIgnoreCase)
        || e.Check.Contains("chain", StringComparison.OrdinalIgnoreCase) || e.Check.Contains("crl", StringComparison.OrdinalIgnoreCase);

    private static string RootSubject(byte[] der)
    {
        try
        {
            return new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(der).SubjectDN.ToString();
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.Certificates.CertificateException or IOException or ArgumentException)
        {
            return "not a DER certificate";
        }
    }

    private static string ToJson(VerifiedQuote v, byte[]? replay)
    {
        var r = v.Report;
        var o = new JsonObject
        {
            ["status"] = v.Status.ToString(),
            ["advisoryIds"] = new JsonArray(v.AdvisoryIds.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
            ["mrtd"] = Hex(r.MrTd),
            ["rtmr0"] = Hex(r.Rtmr0),
            ["rtmr1"] = Hex(r.Rtmr1),
            ["rtmr2"] = Hex(r.Rtmr2),
            ["rtmr3"] = Hex(r.Rtmr3),
            ["reportData"] = Hex(r.ReportData),
            ["fmspc"] = Hex(v.Fmspc),
            ["ppid"] = Hex(v.Ppid),
        };
        if (replay is not null) o["rtmr3Replay"] = Hex(replay);
        return o.ToJsonString();
    }

    private static string ToText(VerifiedQuote v, byte[]? replay)
    {
        var r = v.Report;
        var lines = new List<string>
        {
            $"status:      {v.Status}",
            $"advisories:  {(v.AdvisoryIds.Count == 0 ? "none" : string.Join(", ", v.AdvisoryIds))}",
            $"mrtd:        {Hex(r.MrTd)}",
            $"rtmr0:       {Hex(r.Rtmr0)}",
            $"rtmr1:       {Hex(r.Rtmr1)}",
            $"rtmr2:       {Hex(r.Rtmr2)}",
            $"rtmr3:       {Hex(r.Rtmr3)}",
            $"report data: {Hex(r.ReportData)}",
            $"fmspc:       {Hex(v.Fmspc)}",
            $"ppid:        {Hex(v.Ppid)}",
        };
        if (replay is not null) lines.Add("rtmr3 replay: matches the event log");
        return string.Join(Environment.NewLine, lines);
    }
}
