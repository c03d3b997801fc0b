using System.Text.Json.Nodes;
using Keystore.State;

namespace Keystore.Approvals;

/// <summary>
/// Given to an executor by <see cref="ApprovalService"/>: how a result ends the request in the transaction that logs it.
/// An executor whose result is a signature (and a charge of the windows) hands <see cref="For"/>'s change to that
/// transaction, so the request is <c>signed</c> exactly when its signature is logged and charged: an instance that stops
/// after it leaves nothing to take over and charge again. <see cref="Stored"/> is the request as that transaction wrote it.
/// </summary>
public sealed class ApprovalResultWrite(ApprovalStore store, PendingApproval attempt, string doneState, DateTimeOffset at)
{
    private PendingApproval? _stored;

    /// <summary>The finished request once a change from <see cref="For"/> committed; null until then (or never used).</summary>
    public PendingApproval? Stored => Volatile.Read(ref _stored);

    public StateChange For(JsonObject result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string text = result.ToJsonString();
        PendingApproval? written = null;
        return new StateChange(
            async (connection, transaction) => written = await store.FinishAttemptAsync(connection, transaction, attempt.Account, attempt.Id,
                attempt.SigningAttempts, p => p with { State = doneState, FinishedAt = at, Result = text, DeniedRule = null, Reason = null }).ConfigureAwait(false),
            () => Volatile.Write(ref _stored, written),
            static () => { });
    }
}
