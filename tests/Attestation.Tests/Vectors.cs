using Keystore.Attestation.Collateral;

namespace Keystore.Attestation.Tests;

/// <summary>Access to the copied public vectors (see Vectors/README.md for their sources).</summary>
internal static class Vectors
{
    public static string PathOf(string name) => RepoPaths.Vector(name);
    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));
    public static string Text(string name) => File.ReadAllText(PathOf(name));

    public static byte[] SampleQuote => Bytes("dcap_qvl_tdx_quote.bin");
    public static QuoteCollateralV3 SampleCollateral => QuoteCollateralV3.FromJson(Text("dcap_qvl_tdx_quote_collateral.json"));
    public static readonly DateTimeOffset SampleTime = DateTimeOffset.FromUnixTimeSeconds(1752919234);
}
