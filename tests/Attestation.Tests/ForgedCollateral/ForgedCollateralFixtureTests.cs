using Keystore.Attestation.Collateral;
using Keystore.Attestation.Verification;

namespace Keystore.Attestation.Tests.ForgedCollateral;

/// <summary>
/// The committed forged-collateral fixtures are what <see cref="ForgedCollateralFixtures"/> generates, identical
/// in the C# and the Rust test trees. <c>WRITE_FORGED_COLLATERAL_FIXTURES=1 dotnet test tests/Attestation.Tests
/// --filter ForgedCollateralFixtureTests</c> rewrites both copies first (with a fresh quote).
/// </summary>
public class ForgedCollateralFixtureTests
{
    private static string Dir(string[] parts) => Path.Combine([RepoPaths.Root, .. parts]);

    [Fact]
    public void Committed_fixtures_are_the_generator_output_in_both_trees()
    {
        var generated = ForgedCollateralFixtures.Collateral();
        if (Environment.GetEnvironmentVariable("WRITE_FORGED_COLLATERAL_FIXTURES") == "1")
        {
            var quote = ForgedCollateralFixtures.Quote();
            foreach (var dir in new[] { Dir(ForgedCollateralFixtures.CSharpDirectory), Dir(ForgedCollateralFixtures.RustDirectory) })
            {
                Directory.CreateDirectory(dir);
                foreach (var (name, bytes) in generated) File.WriteAllBytes(Path.Combine(dir, name), bytes);
                File.WriteAllBytes(Path.Combine(dir, "quote.bin"), quote);
            }
        }

        var csharp = Dir(ForgedCollateralFixtures.CSharpDirectory);
        var rust = Dir(ForgedCollateralFixtures.RustDirectory);
        foreach (var (name, bytes) in generated)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(csharp, name))), $"{csharp}/{name} is not the generator's output");
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(rust, name))), $"{rust}/{name} is not the generator's output");
        }
        var committedQuote = File.ReadAllBytes(Path.Combine(csharp, "quote.bin"));
        Assert.Equal(committedQuote, File.ReadAllBytes(Path.Combine(rust, "quote.bin")));
        Assert.Equal(
            new[] { "quote.bin" }.Concat(generated.Keys).Order(StringComparer.Ordinal),
            Directory.GetFiles(rust).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // The quote belongs to the fixture platform: the genuine collateral verifies it.
        var genuine = QuoteCollateralV3.FromJson(System.Text.Encoding.UTF8.GetString(generated["collateral.json"]));
        var verified = new DcapQuoteVerifier(generated["root_ca.der"]).Verify(committedQuote, genuine, DateTimeOffset.FromUnixTimeSeconds(ForgedCollateralFixtures.VerifyAt));
        Assert.Equal(TcbStatus.UpToDate, verified.Status);
    }
}
