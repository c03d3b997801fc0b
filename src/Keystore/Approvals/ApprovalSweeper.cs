using Keystore.Boot;
using Keystore.Configuration;
using Microsoft.Extensions.Options;

namespace Keystore.Approvals;

/// <summary>
/// Every <c>Keystore:Approvals:SweepIntervalSeconds</c>, on every instance of a serving keystore: expires requests past
/// their time and takes over requests a stopped instance left <c>signing</c>, so the owner's webhook hears of an expiry
/// and an approved request is finished without anyone reading it. Work is bounded per pass; each change is made under
/// the account's write lock, so instances sweeping the same database at once audit each expiry once.
/// </summary>
public sealed class ApprovalSweeper(ApprovalService approvals, KeystoreState state, IOptions<KeystoreOptions> options, TimeProvider time,
    ILogger<ApprovalSweeper> logger) : BackgroundService
{
    /// <summary>Requests read and brought up to date per batch.</summary>
    public const int BatchSize = 100;

    /// <summary>Batches per pass: a backlog larger than this waits for the next pass rather than holding the sweeper.</summary>
    public const int MaxBatchesPerPass = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan interval = TimeSpan.FromSeconds(options.Value.Approvals.SweepIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("The approval sweep failed; next try in {Interval}: {Reason}", interval, ex.Message);
            }
        }
    }

    /// <summary>One pass (nothing before the keystore serves: the store is not open and no decision may be recorded yet).</summary>
    public async Task<ApprovalSweep> SweepAsync(CancellationToken cancellationToken)
    {
        var total = new ApprovalSweep(0, 0, 0, 0);
        if (!state.IsServing) return total;
        for (int batch = 0; batch < MaxBatchesPerPass; batch++)
        {
            ApprovalSweep swept = await approvals.SweepAsync(BatchSize, cancellationToken).ConfigureAwait(false);
            total = new ApprovalSweep(total.Due + swept.Due, total.Expired + swept.Expired, total.TakenOver + swept.TakenOver, total.Unreadable + swept.Unreadable);
            // A batch that changed nothing would only find the same rows again (unreadable ones, or another instance's work in flight).
            if (swept.Due < BatchSize || swept.Expired + swept.TakenOver == 0) break;
        }
        if (total.Expired + total.TakenOver > 0)
            logger.LogInformation("Approval sweep: {Expired} request(s) expired, {TakenOver} left signing finished, of {Due} due.", total.Expired, total.TakenOver, total.Due);
        if (total.Unreadable > 0)
            logger.LogWarning("Approval sweep: {Unreadable} approval row(s) do not open under this keystore's state key (tampered?); left as they are.", total.Unreadable);
        return total;
    }
}
