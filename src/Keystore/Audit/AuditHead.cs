namespace Keystore.Audit;

/// <summary>The latest entry of a log: its sequence (0 for an empty log) and its hash (32 zero bytes for an empty log).</summary>
public sealed record AuditHead(long Sequence, byte[] Hash)
{
    public static AuditHead Empty => new(0, new byte[AuditEntry.HashLength]);

    public string HashHex => Convert.ToHexStringLower(Hash);
}
