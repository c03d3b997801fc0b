using System.CommandLine;
using System.Text.Json.Nodes;
using Keystore.Cli;
using Keystore.Tests.Support;

namespace Keystore.Tests.Cli;

/// <summary>The keystore executable verifies a real Intel TDX quote (dcap-qvl's sample) as an operator would.</summary>
public class VerifyQuoteSubcommandTests
{
    private static (int Code, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        int code = KeystoreCommandLine.Run(args, new InvocationConfiguration { Output = output, Error = output });
        return (code, output.ToString());
    }

    [Fact]
    public void The_sample_quote_is_up_to_date_at_its_collateral_time()
    {
        Assert.True(KeystoreCommandLine.IsToolInvocation(["verify-quote"]));
        Assert.False(KeystoreCommandLine.IsToolInvocation(["--Keystore:Bitcoin:Network=regtest"]));

        var (code, output) = Run("verify-quote", "--quote", RepoPaths.Vector("dcap_qvl_tdx_quote.bin"),
            "--collateral", RepoPaths.Vector("dcap_qvl_tdx_quote_collateral.json"), "--at", "1752919234", "--json");
        Assert.Equal(0, code);
        JsonNode result = JsonNode.Parse(output)!;
        Assert.Equal("UpToDate", result["status"]!.GetValue<string>());
        Assert.Empty(result["advisoryIds"]!.AsArray());
        Assert.Equal(96, result["mrtd"]!.GetValue<string>().Length);
    }

    [Fact]
    public void Expired_collateral_fails_with_a_named_check()
    {
        var (code, output) = Run("verify-quote", "--quote", RepoPaths.Vector("dcap_qvl_tdx_quote.bin"),
            "--collateral", RepoPaths.Vector("dcap_qvl_tdx_quote_collateral.json"), "--at", "1753000000", "--json");
        Assert.NotEqual(0, code);
        Assert.Contains("window", JsonNode.Parse(output)!["error"]!.GetValue<string>());
    }
}
