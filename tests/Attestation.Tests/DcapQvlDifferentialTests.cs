using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.Attestation.Verification;

namespace Keystore.Attestation.Tests;

/// <summary>
/// Differential test against @phala/dcap-qvl (tests/oracles/dcap-verify.mjs): both verifiers must agree on
/// accept/reject and on status + advisories, for Intel's sample and for simulator quotes under a custom root
/// (dcap-qvl's JS API takes one through QuoteVerifier.newWithRootCa).
/// </summary>
public sealed class DcapQvlDifferentialTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dcap-diff-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static JsonNode Node(string quote, string collateral, long at, string? rootCa)
    {
        Assert.True(Directory.Exists(Path.Combine(RepoPaths.Oracles, "node_modules", "@phala", "dcap-qvl")),
            "@phala/dcap-qvl is not installed in tests/oracles/node_modules: run `npm ci` in tests/oracles (the test command does this)");
        List<string> arguments = ["dcap-verify.mjs", "--quote", quote, "--collateral", collateral, "--at", at.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (rootCa is not null) arguments.AddRange(["--root-ca", rootCa]);
        // A rejected quote is an answer ({"error"}, exit code 1), not an oracle failure: the output decides.
        NodeResult result = NodeOracle.RunProcessAsync(arguments, null, null).GetAwaiter().GetResult();
        return JsonNode.Parse(result.StdOut) ?? throw new InvalidOperationException("oracle printed nothing: " + result.StdErr);
    }

    private static void AssertAgree(byte[] quote, Collateral.QuoteCollateralV3 collateral, long at, byte[]? root, string dir, string name)
    {
        var qPath = Path.Combine(dir, name + ".bin");
        var cPath = Path.Combine(dir, name + ".json");
        File.WriteAllBytes(qPath, quote);
        File.WriteAllText(cPath, collateral.ToJson());
        string? rPath = null;
        if (root is not null) { rPath = Path.Combine(dir, name + ".der"); File.WriteAllBytes(rPath, root); }

        var oracle = Node(qPath, cPath, at, rPath);
        VerifiedQuote? mine = null;
        QuoteVerificationException? myError = null;
        try { mine = new DcapQuoteVerifier(root).Verify(quote, collateral, DateTimeOffset.FromUnixTimeSeconds(at)); }
        catch (QuoteVerificationException e) { myError = e; }

        if (oracle["error"] is { } err)
        {
            Assert.True(myError is not null, $"{name}: dcap-qvl rejected ({err}) but C# accepted with {mine?.Status}");
            return;
        }
        Assert.True(mine is not null, $"{name}: dcap-qvl accepted ({oracle}) but C# rejected: {myError?.Message}");
        Assert.Equal(oracle["status"]!.GetValue<string>(), mine!.Status.ToString());
        Assert.Equal(oracle["advisoryIds"]!.AsArray().Select(a => a!.GetValue<string>()).Order(), mine.AdvisoryIds.Order());
    }

    [Fact]
    public void Agrees_on_the_sample_quote()
    {
        AssertAgree(Vectors.SampleQuote, Vectors.SampleCollateral, 1752919234, null, _dir, "sample");
        AssertAgree(Vectors.SampleQuote, Vectors.SampleCollateral, 1752919234 + 40 * 86400, null, _dir, "sample-expired");
        var flipped = Vectors.SampleQuote;
        flipped[600] ^= 4;
        AssertAgree(flipped, Vectors.SampleCollateral, 1752919234, null, _dir, "sample-flipped");
    }

    public static TheoryData<TcbStatus, string[]> Statuses => new()
    {
        { TcbStatus.UpToDate, [] },
        { TcbStatus.SWHardeningNeeded, ["INTEL-SA-00615"] },
        { TcbStatus.OutOfDate, ["INTEL-SA-00837", "INTEL-SA-00960"] },
        { TcbStatus.ConfigurationAndSWHardeningNeeded, ["INTEL-SA-00615"] },
        { TcbStatus.Revoked, [] },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Agrees_on_simulator_quotes_with_the_local_root(TcbStatus status, string[] advisories)
    {
        var sim = new SimulatedTdxProvider(new SimulatedTdxOptions { Seed = [42], PlatformStatus = status, AdvisoryIds = advisories });
        var q = await sim.GetQuoteAsync("worker key"u8.ToArray(), CancellationToken.None);
        var at = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        AssertAgree(q.Quote, sim.Collateral, at, sim.RootCaDer, _dir, "sim-" + status);
        // Same quote under Intel's root: both must reject.
        AssertAgree(q.Quote, sim.Collateral, at, null, _dir, "sim-intel-" + status);
    }
}
