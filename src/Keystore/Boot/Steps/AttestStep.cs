using System.Security.Cryptography;
using System.Text;
using Keystore.Attestation.Collateral;
using Keystore.Attestation.EventLog;
using Keystore.Attestation.Quotes;
using Keystore.Attestation.Tee;
using Keystore.Configuration;
using Keystore.Tee;
using Microsoft.Extensions.Options;

namespace Keystore.Boot.Steps;

/// <summary>
/// Step 2: a TDX quote whose report data is the worker key ‖ 32 zero bytes, with its event log and
/// collateral. The quote is checked here against what was asked (report data, RTMR3 replay) so a
/// broken TEE shows up at boot, not at the DAO.
/// </summary>
public sealed class AttestStep(ITeeBackend backend, WorkerContext worker, IOptions<KeystoreOptions> options, ILogger<AttestStep> logger) : IBootStep
{
    public string Name => "attest";

    public string Detail => $"TEE '{backend.Name}'";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        byte[] reportData = worker.Identity.ReportData();
        TeeQuote quote;
        TeeInfo info;
        QuoteCollateralV3 collateral;
        try
        {
            quote = await backend.GetQuoteAsync(reportData, cancellationToken).ConfigureAwait(false);
            info = await backend.GetInfoAsync(cancellationToken).ConfigureAwait(false);
            collateral = await backend.GetCollateralAsync(quote.Quote, cancellationToken).ConfigureAwait(false);
        }
        // A backend's own BootFailureException (a TEE that cannot be used here) keeps its message and retry policy.
        catch (Exception ex) when (ex is not OperationCanceledException and not BootFailureException)
        {
            throw new BootFailureException($"The TEE '{backend.Name}' did not attest: {ex.Message}", retryable: true, ex);
        }

        TdxQuote parsed;
        byte[] rtmr3;
        try
        {
            parsed = TdxQuote.Parse(quote.Quote, reportData, out bool bound);
            if (!bound)
                throw new BootFailureException("The quote's report data is not the worker key ‖ 32 zero bytes.", retryable: false);
            rtmr3 = quote.EventLog.VerifyRtmr3(parsed.Report.Rtmr3);
        }
        catch (Exception ex) when (ex is QuoteParseException or EventLogException)
        {
            throw new BootFailureException($"The TEE returned unusable evidence: {ex.Message}", retryable: true, ex);
        }

        string appCompose = await AppComposeAsync(info, quote.EventLog, cancellationToken).ConfigureAwait(false);
        worker.SetAttestation(new WorkerAttestation(backend.Name, backend.IsSimulated, quote.Quote, quote.EventLogJson,
            info.TcbInfoJson, rtmr3, collateral, appCompose));
        if (backend.IsSimulated)
            logger.LogWarning("Attested with the TDX SIMULATOR: quotes are signed by a local test PKI and prove nothing about this machine.");
        logger.LogInformation("Attested by {Provider}: RTMR3 {Rtmr3}, compose hash {ComposeHash}, quote {QuoteBytes} bytes.",
            backend.Name, Convert.ToHexStringLower(rtmr3), Convert.ToHexStringLower(quote.EventLog.ComposeHash ?? []), quote.Quote.Length);
    }

    /// <summary>
    /// The app-compose document the DAO will hash: <c>Keystore:Tee:AppComposeFile</c> if set, else what the TEE reports
    /// (dstack's <c>tcb_info.app_compose</c>). Checked here against the measured <c>compose-hash</c> event, so a wrong
    /// document fails the boot with a clear reason instead of a refused registration.
    /// </summary>
    private async Task<string> AppComposeAsync(TeeInfo info, DstackEventLog log, CancellationToken ct)
    {
        string? file = options.Value.Tee.AppComposeFile;
        string document;
        try
        {
            document = file is null ? info.AppCompose : await File.ReadAllTextAsync(file, new UTF8Encoding(false), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BootFailureException($"Keystore:Tee:AppComposeFile '{file}' cannot be read: {ex.Message}", retryable: false, ex);
        }
        byte[]? measured = log.ComposeHash;
        if (measured is null)
            throw new BootFailureException("The TEE's event log has no compose-hash event.", retryable: false);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(document));
        if (!CryptographicOperations.FixedTimeEquals(hash, measured))
            throw new BootFailureException(
                $"The app-compose document ({(file is null ? "reported by the TEE" : $"Keystore:Tee:AppComposeFile '{file}'")}) hashes to " +
                $"{Convert.ToHexStringLower(hash)}, not the measured compose hash {Convert.ToHexStringLower(measured)}.", retryable: false);
        return document;
    }
}
