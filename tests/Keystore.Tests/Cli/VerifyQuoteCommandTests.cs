using System.CommandLine;
using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.Cli;
using Keystore.Tests.Support;

namespace Keystore.Tests.Cli;

public class VerifyQuoteCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand { VerifyQuoteCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(["verify-quote", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Json_output_for_the_sample_quote()
    {
        var (code, output, _) = Run("--quote", RepoPaths.Vector("dcap_qvl_tdx_quote.bin"), "--collateral", RepoPaths.Vector("dcap_qvl_tdx_quote_collateral.json"), "--at", "1752919234", "--json");
        Assert.Equal(0, code);
        var o = JsonNode.Parse(output)!;
        Assert.Equal("UpToDate", o["status"]!.GetValue<string>());
        Assert.Empty(o["advisoryIds"]!.AsArray());
        var raw = File.ReadAllBytes(RepoPaths.Vector("dcap_qvl_tdx_quote.bin"));
        Assert.Equal(Convert.ToHexStringLower(raw[184..232]), o["mrtd"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(raw[520..568]), o["rtmr3"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(raw[568..632]), o["reportData"]!.GetValue<string>());
        Assert.Equal("b0c06f000000", o["fmspc"]!.GetValue<string>());
        Assert.Null(o["rtmr3Replay"]);
    }

    [Fact]
    public void Expired_collateral_prints_the_failed_check()
    {
        var (code, output, _) = Run("--quote", RepoPaths.Vector("dcap_qvl_tdx_quote.bin"), "--collateral", RepoPaths.Vector("dcap_qvl_tdx_quote_collateral.json"), "--at", "1800000000", "--json");
        Assert.NotEqual(0, code);
        Assert.StartsWith("tcb_info.window", JsonNode.Parse(output)!["error"]!.GetValue<string>());
    }

    [Fact]
    public void Minimum_evaluation_number_option_refuses_older_collateral()
    {
        string[] sample = ["--quote", RepoPaths.Vector("dcap_qvl_tdx_quote.bin"), "--collateral", RepoPaths.Vector("dcap_qvl_tdx_quote_collateral.json"), "--at", "1752919234", "--json"];
        // The sample's TCB info and QE identity carry tcbEvaluationDataNumber 17.
        var (code, output, _) = Run([.. sample, "--min-tcb-evaluation-data-number", "17"]);
        Assert.Equal(0, code);
        Assert.Equal("UpToDate", JsonNode.Parse(output)!["status"]!.GetValue<string>());
        (code, output, _) = Run([.. sample, "--min-tcb-evaluation-data-number", "18"]);
        Assert.NotEqual(0, code);
        Assert.StartsWith("tcb_info.evaluation_data_number: TCB info tcbEvaluationDataNumber 17 is below the required minimum 18", JsonNode.Parse(output)!["error"]!.GetValue<string>());
    }

    [Fact]
    public void Collateral_signed_by_a_pck_leaf_is_refused_with_its_reason()
    {
        var (code, output, _) = Run("--quote", RepoPaths.Vector("forged/quote.bin"), "--collateral", RepoPaths.Vector("forged/collateral_signed_by_pck_leaf.json"),
            "--root-ca", RepoPaths.Vector("forged/root_ca.der"), "--at", "1780272000", "--json");
        Assert.NotEqual(0, code);
        Assert.StartsWith("tcb_info.signer: signer is a PCK certificate", JsonNode.Parse(output)!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Simulator_quote_with_root_ca_hex_file_and_event_log()
    {
        var sim = new SimulatedTdxProvider(new SimulatedTdxOptions { Seed = [7] });
        var q = await sim.GetQuoteAsync(new byte[] { 9, 9 }, CancellationToken.None);
        var dir = Directory.CreateTempSubdirectory("verify-quote-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "q.hex"), Convert.ToHexStringLower(q.Quote));
            File.WriteAllText(Path.Combine(dir, "c.json"), sim.Collateral.ToJson());
            File.WriteAllBytes(Path.Combine(dir, "root.der"), sim.RootCaDer);
            File.WriteAllText(Path.Combine(dir, "log.json"), q.EventLogJson);
            var (code, output, _) = Run("--quote", Path.Combine(dir, "q.hex"), "--collateral", Path.Combine(dir, "c.json"), "--root-ca", Path.Combine(dir, "root.der"), "--event-log", Path.Combine(dir, "log.json"), "--json");
            Assert.Equal(0, code);
            var o = JsonNode.Parse(output)!;
            Assert.Equal(o["rtmr3"]!.GetValue<string>(), o["rtmr3Replay"]!.GetValue<string>());

            // Readable text mode.
            (code, output, _) = Run("--quote", Path.Combine(dir, "q.hex"), "--collateral", Path.Combine(dir, "c.json"), "--root-ca", Path.Combine(dir, "root.der"));
            Assert.Equal(0, code);
            Assert.Contains("status:      UpToDate", output);

            // Without the local root the Intel root rejects it.
            (code, output, _) = Run("--quote", Path.Combine(dir, "q.hex"), "--collateral", Path.Combine(dir, "c.json"), "--json");
            Assert.NotEqual(0, code);
            Assert.Contains("chain", JsonNode.Parse(output)!["error"]!.GetValue<string>());

            // A log that does not replay to RTMR3 fails, naming the event.
            File.WriteAllText(Path.Combine(dir, "bad.json"), File.ReadAllText(RepoPaths.Vector("eventlog_v055.json")));
            string err;
            (code, _, err) = Run("--quote", Path.Combine(dir, "q.hex"), "--collateral", Path.Combine(dir, "c.json"), "--root-ca", Path.Combine(dir, "root.der"), "--event-log", Path.Combine(dir, "bad.json"));
            Assert.NotEqual(0, code);
            Assert.Contains("system-ready", err);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Missing_file_is_an_input_error()
    {
        var (code, output, _) = Run("--quote", "/nonexistent/q.bin", "--collateral", RepoPaths.Vector("dcap_qvl_tdx_quote_collateral.json"), "--json");
        Assert.NotEqual(0, code);
        Assert.StartsWith("input:", JsonNode.Parse(output)!["error"]!.GetValue<string>());
    }
}
