using Keystore.Near.Keys;

namespace Keystore.Audit;

/// <summary>
/// Checks a run of chain links: consecutive sequences, each <c>prev</c> equal to the previous entry's hash (the first one
/// to <paramref name="expectedPrevious"/> when known), each hash recomputed from its parts, each signature by the audit key.
/// </summary>
public static class AuditChainVerifier
{
    /// <summary>Null when every link holds, else the first bad entry's sequence and why.</summary>
    public static (long Sequence, string Reason)? FirstBad(Ed25519PublicKey auditKey, IReadOnlyList<AuditEntry> entries, byte[]? expectedPrevious = null)
    {
        byte[]? previous = expectedPrevious;
        long? previousSequence = null;
        foreach (AuditEntry e in entries)
        {
            if (previousSequence is { } ps && e.Sequence != ps + 1)
                return (e.Sequence, $"sequence {e.Sequence} follows {ps}: entries are missing or reordered");
            if (previousSequence is null && e.Sequence == 1 && !e.Previous.AsSpan().SequenceEqual(new byte[AuditEntry.HashLength]))
                return (e.Sequence, "the first entry's prev is not 32 zero bytes");
            if (previous is not null && !e.Previous.AsSpan().SequenceEqual(previous))
                return (e.Sequence, $"prev {Convert.ToHexStringLower(e.Previous)} is not the previous entry's hash {Convert.ToHexStringLower(previous)}");
            if (e.Previous.Length != AuditEntry.HashLength || e.ContentHash.Length != AuditEntry.HashLength)
                return (e.Sequence, "prev and contentHash must be 32 bytes");
            byte[] hash = AuditEntry.ComputeHash(e.Sequence, e.Previous, e.ContentHash);
            if (!hash.AsSpan().SequenceEqual(e.Hash))
                return (e.Sequence, $"hash {Convert.ToHexStringLower(e.Hash)} is not the hash of its sequence, prev and contentHash ({Convert.ToHexStringLower(hash)})");
            if (e.Signature.Length != 64 || !auditKey.Verify(e.Hash, e.Signature))
                return (e.Sequence, "the signature is not the audit key's signature of the hash");
            previous = e.Hash;
            previousSequence = e.Sequence;
        }
        return null;
    }
}
