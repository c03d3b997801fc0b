using Keystore.Attestation.Collateral;
using Keystore.Attestation.Dstack;
using Keystore.Attestation.Tee;
using Keystore.Boot;
using Keystore.Configuration;
using Microsoft.Extensions.Options;

namespace Keystore.Tee;

/// <summary>A real TDX CVM under dstack: quotes from the guest agent, collateral from a PCCS.</summary>
public sealed class DstackTeeBackend(IOptions<KeystoreOptions> options, IHttpClientFactory http) : ITeeBackend, IDisposable
{
    public const string BackendName = "dstack";

    private DstackClient? _client;
    private PccsCollateralClient? _pccs;

    public string Name => BackendName;

    public bool IsSimulated => false;

    public Task<TeeQuote> GetQuoteAsync(ReadOnlyMemory<byte> reportData, CancellationToken cancellationToken) =>
        Provider().GetQuoteAsync(reportData, cancellationToken);

    public Task<TeeInfo> GetInfoAsync(CancellationToken cancellationToken) => Provider().GetInfoAsync(cancellationToken);

    public Task<QuoteCollateralV3> GetCollateralAsync(ReadOnlyMemory<byte> quote, CancellationToken cancellationToken)
    {
        _pccs ??= new PccsCollateralClient(http.CreateClient(nameof(PccsCollateralClient)), new Uri(options.Value.Tee.PccsUrl));
        return _pccs.GetCollateralAsync(quote, cancellationToken);
    }

    public void Dispose() => _client?.Dispose();

    private DstackTeeProvider Provider()
    {
        try
        {
            string? configured = options.Value.Tee.DstackEndpoint;
            _client ??= new DstackClient(configured is null ? DstackEndpoint.Resolve() : DstackEndpoint.Parse(configured), TimeSpan.FromSeconds(30));
            return new DstackTeeProvider(_client);
        }
        catch (Exception ex) when (ex is DstackClientException or IOException or InvalidOperationException)
        {
            throw new BootFailureException($"The dstack guest agent is not reachable: {ex.Message}", retryable: true, ex);
        }
    }
}
