namespace Keystore.Approvals;

/// <summary>
/// An attempt at finishing an approved request found it no longer its own (taken over after its lease lapsed, or finished
/// by the attempt that took over): the transaction that would have logged and charged its signature writes nothing, and
/// the signature is never given out.
/// </summary>
public sealed class ApprovalAttemptSupersededException(string id, int attempt)
    : Exception($"Approval request {id} is no longer being finished by attempt {attempt}.")
{
    public string Id { get; } = id;

    public int Attempt { get; } = attempt;
}
