using System.CommandLine;
using System.Text.Json.Nodes;
using Keystore.Attestation.Collateral;
using Keystore.Attestation.EventLog;
using Keystore.Attestation.Quotes;
using Keystore.Attestation.Verification;

namespace Keystore.Cli;

/// <summary>
/// <c>verify-quote --quote FILE --collateral FILE [--root-ca FILE] [--at UNIX] [--min-tcb-evaluation-data-number N] [--event-log FILE] [--json]</c>:
/// offline DCAP verification of a TDX quote (raw or hex file) for operators and scripts.
/// </summary>
public static class VerifyQuoteCommand
{
    public static Command Create()
    {
        var quote = new Option<FileInfo>("--quote") { Description = "quote file (raw bytes or hex text)", Required = true };
        var collateral = new Option<FileInfo>("--collateral") { Description = "collateral JSON (dcap-qvl QuoteCollateralV3)", Required = true };
        var rootCa = new Option<FileInfo?>("--root-ca") { Description = "trust this root CA (DER) instead of the Intel SGX Root CA" };
        var at = new Option<long?>("--at") { Description = "verification time, unix seconds (default: now)" };
        var minEvaluation = new Option<uint>("--min-tcb-evaluation-data-number") { Description = "refuse TCB info and QE identity with a lower tcbEvaluationDataNumber (default 0: any)" };
        var eventLog = new Option<FileInfo?>("--event-log") { Description = "dstack event log JSON; its RTMR3 replay must equal the quote's" };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };

        var command = new Command("verify-quote", "Verify a TDX quote against DCAP collateral") { quote, collateral, rootCa, at, minEvaluation, eventLog, json };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var asJson = result.GetValue(json);
            try
            {
                var raw = TdxQuote.DecodeQuoteFile(File.ReadAllBytes(result.GetValue(quote)!.FullName));
                var coll = QuoteCollateralV3.FromJson(File.ReadAllText(result.GetValue(collateral)!.FullName));
                var minimum = result.GetValue(minEvaluation);
                var verifier = result.GetValue(rootCa) is { } root ? new DcapQuoteVerifier(File.ReadAllBytes(root.FullName), minimum)
                    : minimum > 0 ? new DcapQuoteVerifier(minTcbEvaluationDataNumber: minimum) : DcapQuoteVerifier.Intel;
                var time = result.GetValue(at) is { } unix ? DateTimeOffset.FromUnixTimeSeconds(unix) : DateTimeOffset.UtcNow;
                var verified = verifier.Verify(raw, coll, time);
                byte[]? replay = null;
                if (result.GetValue(eventLog) is { } logFile)
                    replay = DstackEventLog.Parse(File.ReadAllText(logFile.FullName)).VerifyRtmr3(verified.Report.Rtmr3);
                output.WriteLine(asJson ? ToJson(verified, replay) : ToText(verified, replay));
                return 0;
            }
            catch (Exception e) when (e is QuoteVerificationException or EventLogException or IOException or System.Text.Json.JsonException or UnauthorizedAccessException or Org.BouncyCastle.Security.Certificates.CertificateException)
            {
                var message = e switch
                {
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
