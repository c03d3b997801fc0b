namespace Keystore.Boot;

/// <summary>What one revocation check concluded.</summary>
public enum RevocationVerdict
{
    /// <summary>The DAO serves this worker.</summary>
    Registered,

    /// <summary>A definite answer at a final block: the worker is gone or its measurements were revoked.</summary>
    Revoked,

    /// <summary>No usable answer: an RPC fault, an unknown DAO account, or a node behind (or a chain reset to) an older block.</summary>
    Unknown,
}
