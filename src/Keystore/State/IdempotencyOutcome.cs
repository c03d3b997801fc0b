namespace Keystore.State;

/// <summary>What an <c>Idempotency-Key</c> means for a request.</summary>
public enum IdempotencyOutcome
{
    /// <summary>A new key: this request runs and its answer is kept.</summary>
    Started,

    /// <summary>The same key and body were answered before: <see cref="IdempotencyStart.Replay"/> is that answer.</summary>
    Replay,

    /// <summary>The same key came with another request (body, chain or query): 409.</summary>
    Conflict,

    /// <summary>The same key and body are being answered right now by another request: 409, retry later.</summary>
    InProgress,
}

/// <summary>The outcome and, for a replay, the stored answer.</summary>
public sealed record IdempotencyStart(IdempotencyOutcome Outcome, StoredResponse? Replay = null);

/// <summary>An answer kept for replay (sealed in the store).</summary>
public sealed record StoredResponse(int Status, string Body);
