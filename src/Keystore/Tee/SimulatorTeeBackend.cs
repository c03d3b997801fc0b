using Keystore.Attestation.Collateral;
using Keystore.Attestation.Simulator;
using Keystore.Attestation.Tee;
using Keystore.Boot;
using Keystore.Configuration;
using Microsoft.Extensions.Options;

namespace Keystore.Tee;

/// <summary>
/// The local TDX simulator: quotes signed by a local test PKI that only a verifier told to trust
/// that root accepts. Refused inside a real TEE, where a simulated quote could only mislead.
/// </summary>
public sealed class SimulatorTeeBackend(IOptions<KeystoreOptions> options, ITeeDetector detector) : ITeeBackend
{
    public const string BackendName = "simulator";

    private readonly Lazy<SimulatedTdxProvider> _provider = new(() => new SimulatedTdxProvider(ToSimulatedOptions(options.Value.Tee)));

    public string Name => BackendName;

    public bool IsSimulated => true;

    public Task<TeeQuote> GetQuoteAsync(ReadOnlyMemory<byte> reportData, CancellationToken cancellationToken) =>
        Provider().GetQuoteAsync(reportData, cancellationToken);

    public Task<TeeInfo> GetInfoAsync(CancellationToken cancellationToken) => Provider().GetInfoAsync(cancellationToken);

    public Task<QuoteCollateralV3> GetCollateralAsync(ReadOnlyMemory<byte> quote, CancellationToken cancellationToken) =>
        Task.FromResult(Provider().Collateral);

    private SimulatedTdxProvider Provider() => detector.IsRealTeePresent
        ? throw new BootFailureException(
            "The TDX simulator is refused inside a real TEE; set Keystore:Tee:Provider to 'dstack'.", retryable: false)
        : _provider.Value;

    /// <summary>The local development profile with any configured overrides.</summary>
    public static SimulatedTdxOptions ToSimulatedOptions(TeeOptions tee)
    {
        SimulatorOptions o = tee.Simulator;
        SimulatedTdxOptions d = SimulatedTdxOptions.LocalDevelopment;
        return d with
        {
            Seed = o.SeedHex is null ? d.Seed : Convert.FromHexString(o.SeedHex),
            Mrtd = Hex(o.MrtdHex, 48) ?? d.Mrtd,
            Rtmr0 = Hex(o.Rtmr0Hex, 48) ?? d.Rtmr0,
            Rtmr1 = Hex(o.Rtmr1Hex, 48) ?? d.Rtmr1,
            Rtmr2 = Hex(o.Rtmr2Hex, 48) ?? d.Rtmr2,
            InstanceId = Hex(o.InstanceIdHex, 20) ?? d.InstanceId,
            // The exact bytes dstack would hash: no newline normalisation, no BOM.
            AppCompose = tee.AppComposeFile is null ? d.AppCompose : File.ReadAllText(tee.AppComposeFile, new System.Text.UTF8Encoding(false)),
        };
    }

    private static byte[]? Hex(string? hex, int length)
    {
        if (hex is null) return null;
        byte[] bytes = Convert.FromHexString(hex);
        return bytes.Length == length ? bytes : throw new FormatException($"expected {length} bytes of hex");
    }
}
