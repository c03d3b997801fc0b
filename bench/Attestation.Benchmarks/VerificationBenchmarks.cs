using BenchmarkDotNet.Attributes;
using Keystore.Attestation.Collateral;
using Keystore.Attestation.Verification;

namespace Keystore.Attestation.Benchmarks;

/// <summary>Full DCAP verification (parse, chains, CRLs, collateral and quote signatures, TCB matching) of dcap-qvl's sample quote.</summary>
[MemoryDiagnoser]
public class VerificationBenchmarks
{
    private byte[] _quote = [];
    private QuoteCollateralV3 _collateral = null!;
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1752919234);

    [GlobalSetup]
    public void Setup()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Vectors");
        _quote = File.ReadAllBytes(Path.Combine(dir, "dcap_qvl_tdx_quote.bin"));
        _collateral = QuoteCollateralV3.FromJson(File.ReadAllText(Path.Combine(dir, "dcap_qvl_tdx_quote_collateral.json")));
    }

    [Benchmark]
    public TcbStatus VerifySampleQuote() => DcapQuoteVerifier.Intel.Verify(_quote, _collateral, At).Status;
}
