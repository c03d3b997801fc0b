using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Attestation.EventLog;
using Keystore.Attestation.Quotes;

namespace Keystore.Cli;

/// <summary>
/// <c>measure --compose FILE [--os-measurements FILE | --quote FILE --event-log FILE] [--json]</c>: what the council
/// votes on. The compose hash is sha256 of the app-compose file's bytes exactly as dstack hashes them; the OS measurement
/// set (MRTD, RTMR0–2 and the digest of the <c>key-provider</c> event) comes from a JSON file (the set itself, or a
/// running keystore's <c>GET /v1/attestation</c>) or from a quote and its event log. Prints the arguments of
/// <c>tee-dao.propose</c> for <c>add_compose_hash</c> and <c>add_os_measurement</c>.
/// </summary>
public static class MeasureCommand
{
    private static readonly string[] OsFields = ["mrtd", "rtmr0", "rtmr1", "rtmr2", "key_provider_digest"];

    public static Command Create()
    {
        var compose = new Option<FileInfo>("--compose") { Description = "the dstack app-compose JSON file (hashed byte for byte)", Required = true };
        var osMeasurements = new Option<FileInfo?>("--os-measurements")
        {
            Description = "JSON with {mrtd, rtmr0, rtmr1, rtmr2, key_provider_digest}, or a keystore's GET /v1/attestation answer",
        };
        var quote = new Option<FileInfo?>("--quote") { Description = "a TDX quote (raw bytes or hex) whose MRTD and RTMR0-2 to use (with --event-log)" };
        var eventLog = new Option<FileInfo?>("--event-log") { Description = "the quote's dstack event log (for the key-provider event)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object" };

        var command = new Command("measure", "Print the compose hash and the tee-dao proposal arguments that approve a deployment")
            { compose, osMeasurements, quote, eventLog, json };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            bool asJson = result.GetValue(json);
            try
            {
                byte[] composeBytes = File.ReadAllBytes(result.GetValue(compose)!.FullName);
                string composeHash = Convert.ToHexStringLower(SHA256.HashData(composeBytes));
                JsonObject? os = (result.GetValue(osMeasurements), result.GetValue(quote), result.GetValue(eventLog)) switch
                {
                    (null, null, null) => null,
                    ({ } file, null, null) => FromJsonFile(file, composeHash),
                    (null, { } q, { } log) => FromEvidence(TdxQuote.DecodeQuoteFile(File.ReadAllBytes(q.FullName)), File.ReadAllText(log.FullName), composeHash),
                    _ => throw new ArgumentException("give either --os-measurements, or --quote with --event-log"),
                };

                var addCompose = new JsonObject { ["kind"] = "add_compose_hash", ["compose_hash"] = composeHash };
                JsonObject? addOs = os is null ? null : Proposal("add_os_measurement", os);
                if (asJson)
                {
                    var o = new JsonObject { ["compose_hash"] = composeHash, ["add_compose_hash"] = addCompose };
                    if (addOs is not null) o["add_os_measurement"] = addOs;
                    output.WriteLine(o.ToJsonString());
                }
                else
                {
                    output.WriteLine($"compose hash: {composeHash}");
                    output.WriteLine($"add_compose_hash: {addCompose.ToJsonString()}");
                    if (addOs is not null) output.WriteLine($"add_os_measurement: {addOs.ToJsonString()}");
                }
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FormatException or ArgumentException
                or QuoteParseException or EventLogException or InvalidOperationException)
            {
                string message = e is JsonException ? "input is not valid JSON" : e.Message;
                if (asJson) output.WriteLine(new JsonObject { ["error"] = message }.ToJsonString());
                else result.InvocationConfiguration.Error.WriteLine("measure failed: " + message);
                return 1;
            }
        });
        return command;
    }

    private static JsonObject Proposal(string kind, JsonObject fields)
    {
        var p = new JsonObject { ["kind"] = kind };
        foreach (string f in OsFields) p[f] = fields[f]!.GetValue<string>();
        return p;
    }

    private static JsonObject FromJsonFile(FileInfo file, string composeHash)
    {
        JsonNode node = JsonNode.Parse(File.ReadAllText(file.FullName)) ?? throw new FormatException($"{file.Name} is empty");
        // A keystore's GET /v1/attestation answer: the quote (hex) and its event log.
        if (node["quote"] is JsonValue quoteHex && node["eventLog"] is JsonArray log)
            return FromEvidence(Convert.FromHexString(quoteHex.GetValue<string>()), log.ToJsonString(), composeHash);
        var os = new JsonObject();
        foreach (string f in OsFields)
        {
            string value = node[f]?.GetValue<string>() ?? throw new FormatException($"{file.Name} has no \"{f}\"");
            if (value.Length != 96 || !value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
                throw new FormatException($"{f} must be 48 bytes of lowercase hex");
            os[f] = value;
        }
        return os;
    }

    /// <summary>The OS set a quote and its event log attest; the log must replay to the quote's RTMR3 and be of this compose file.</summary>
    private static JsonObject FromEvidence(byte[] quote, string eventLogJson, string composeHash)
    {
        TdReport report = TdxQuote.Parse(quote).Report;
        DstackEventLog log = DstackEventLog.Parse(eventLogJson);
        log.VerifyRtmr3(report.Rtmr3);
        if (log.ComposeHash is not { } measured || Convert.ToHexStringLower(measured) != composeHash)
            throw new InvalidOperationException(
                $"the quote's compose-hash event is {(log.ComposeHash is null ? "missing" : Convert.ToHexStringLower(log.ComposeHash))}, not sha256 of --compose ({composeHash})");
        int index = log.Entries.ToList().FindIndex(e => e.Imr == 3 && e.Event == "key-provider");
        if (index < 0) throw new InvalidOperationException("the event log has no key-provider event");
        return new JsonObject
        {
            ["mrtd"] = Convert.ToHexStringLower(report.MrTd),
            ["rtmr0"] = Convert.ToHexStringLower(report.Rtmr0),
            ["rtmr1"] = Convert.ToHexStringLower(report.Rtmr1),
            ["rtmr2"] = Convert.ToHexStringLower(report.Rtmr2),
            ["key_provider_digest"] = Convert.ToHexStringLower(DstackEventLog.EffectiveDigest(log.Entries[index], index)),
        };
    }
}
