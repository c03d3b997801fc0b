using Keystore.Attestation.Collateral;
using Keystore.Attestation.EventLog;
using Keystore.Attestation.Quotes;
using Keystore.Attestation.Tee;
using Keystore.Tee;

namespace Keystore.Boot.Steps;

/// <summary>
/// Step 2: a TDX quote whose report data is the worker key ‖ 32 zero bytes, with its event log and
/// collateral. The quote is checked here against what was asked (report data, RTMR3 replay) so a
/// broken TEE shows up at boot, not at the DAO.
/// </summary>
public sealed class AttestStep(ITeeBackend backend, WorkerContext worker, ILogger<AttestStep> logger) : IBootStep
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

        worker.SetAttestation(new WorkerAttestation(backend.Name, backend.IsSimulated, quote.Quote, quote.EventLogJson,
            info.TcbInfoJson, rtmr3, collateral));
        if (backend.IsSimulated)
            logger.LogWarning("Attested with the TDX SIMULATOR: quotes are signed by a local test PKI and prove nothing about this machine.");
        logger.LogInformation("Attested by {Provider}: RTMR3 {Rtmr3}, quote {QuoteBytes} bytes.",
            backend.Name, Convert.ToHexStringLower(rtmr3), quote.Quote.Length);
    }
}
