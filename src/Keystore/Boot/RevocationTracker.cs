using Keystore.Dao;

namespace Keystore.Boot;

/// <summary>
/// Decides when the DAO's answers prove a revocation. A single "not listed" is not enough: a lagging
/// RPC node or a reset chain gives the same answer. So an answer counts only if it comes from a final
/// block no older than the newest one already seen, and the secret is dropped only after
/// <see cref="RequiredConsecutiveRevoked"/> such Revoked answers with no Registered answer between
/// them. A check without an answer (Unknown) neither counts nor clears the streak: it says nothing.
/// </summary>
public sealed class RevocationTracker
{
    public const int RequiredConsecutiveRevoked = 2;

    private ulong _newestBlock;

    public int RevokedInARow { get; private set; }

    public bool ShouldDrop => RevokedInARow >= RequiredConsecutiveRevoked;

    /// <summary>Answers from blocks before <paramref name="block"/> (e.g. the one the registration was confirmed at) are Unknown.</summary>
    public void NotBefore(ulong block)
    {
        if (block > _newestBlock) _newestBlock = block;
    }

    /// <summary>Classifies one answer and records it.</summary>
    public RevocationVerdict Observe(DaoWorkerStatus answer)
    {
        if (answer.BlockHeight < _newestBlock) return RevocationVerdict.Unknown;
        _newestBlock = answer.BlockHeight;
        if (answer.State == DaoWorkerState.Registered)
        {
            RevokedInARow = 0;
            return RevocationVerdict.Registered;
        }
        RevokedInARow++;
        return RevocationVerdict.Revoked;
    }

    /// <summary>The newest final block an answer came from (0 before the first).</summary>
    public ulong NewestBlock => _newestBlock;
}
