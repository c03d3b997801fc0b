using Keystore.Dao;

namespace Keystore.Boot;

/// <summary>
/// Decides when the DAO's answers prove a revocation. A single "not listed" is not enough: a lagging
/// RPC node or a reset chain gives the same answer. So an answer counts only if it comes from a final
/// block no older than the newest one already seen, and the secret is dropped only after
/// <see cref="RequiredConsecutiveRevoked"/> such Revoked answers with no Registered answer between
/// them. A check without an answer (Unknown) neither counts nor clears the streak: it says nothing.
/// An answer from a block further ahead than the chain can have come since the newest one seen is Unknown too: taken,
/// one lying answer (a height near 2^64) would make every honest answer after it "older" and blind the check until restart.
/// </summary>
public sealed class RevocationTracker(TimeProvider? time = null)
{
    public const int RequiredConsecutiveRevoked = 2;

    /// <summary>Far above NEAR's rate (about one block a second), so a fast chain or a slow clock never trips it.</summary>
    public const int MaxBlocksPerSecond = 10;

    /// <summary>Added to the time elapsed, for clocks and nodes that are a little apart.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private ulong _newestBlock;
    private DateTimeOffset _newestAt;

    public int RevokedInARow { get; private set; }

    public bool ShouldDrop => RevokedInARow >= RequiredConsecutiveRevoked;

    /// <summary>Answers from blocks before <paramref name="block"/> (e.g. the one the registration was confirmed at) are Unknown.</summary>
    public void NotBefore(ulong block)
    {
        if (block > _newestBlock) Saw(block);
    }

    /// <summary>Classifies one answer and records it.</summary>
    public RevocationVerdict Observe(DaoWorkerStatus answer)
    {
        if (answer.BlockHeight < _newestBlock || IsTooFarAhead(answer.BlockHeight)) return RevocationVerdict.Unknown;
        Saw(answer.BlockHeight);
        if (answer.State == DaoWorkerState.Registered)
        {
            RevokedInARow = 0;
            return RevocationVerdict.Registered;
        }
        RevokedInARow++;
        return RevocationVerdict.Revoked;
    }

    /// <summary>Further ahead of the newest block seen than the chain can be by now (never, before any block is seen).</summary>
    public bool IsTooFarAhead(ulong block)
    {
        if (_newestBlock == 0 || block <= _newestBlock) return false;
        double seconds = (_time.GetUtcNow() - _newestAt + Slack).TotalSeconds;
        return block - _newestBlock > seconds * MaxBlocksPerSecond;
    }

    private void Saw(ulong block)
    {
        _newestBlock = block;
        _newestAt = _time.GetUtcNow();
    }

    /// <summary>The newest final block an answer came from (0 before the first).</summary>
    public ulong NewestBlock => _newestBlock;
}
