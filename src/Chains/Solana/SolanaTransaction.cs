namespace Keystore.Chains.Solana;

/// <summary>
/// A Solana wire transaction: compact-u16 signature count, the 64-byte signatures, then the message. The signature
/// count must equal the message's required signers; unsigned slots are zeros (web3.js
/// <c>serialize({requireAllSignatures: false})</c>, <c>VersionedTransaction.serialize()</c>).
/// </summary>
public sealed class SolanaTransaction
{
    private readonly byte[] _wire;
    private readonly int _signaturesOffset;

    private SolanaTransaction(byte[] wire, int signaturesOffset, SolanaMessage message)
    {
        _wire = wire;
        _signaturesOffset = signaturesOffset;
        Message = message;
    }

    public SolanaMessage Message { get; }

    /// <summary>The serialized message: what every signature covers.</summary>
    public ReadOnlySpan<byte> MessageBytes => Message.Bytes;

    /// <summary>The transaction as it came (copied); on any defect throws <see cref="ChainRequestException"/> with <paramref name="problem"/>.</summary>
    public static SolanaTransaction Parse(ReadOnlySpan<byte> data, ChainError problem)
    {
        byte[] wire = data.ToArray();
        int offset = 0;
        if (!CompactU16.TryRead(wire, ref offset, out int signatureCount))
            throw new ChainRequestException(problem, "Malformed Solana transaction: bad signature count.");
        int signaturesOffset = offset;
        if (wire.Length - offset < 64L * signatureCount)
            throw new ChainRequestException(problem, "Malformed Solana transaction: truncated signatures.");
        int messageOffset = offset + 64 * signatureCount;
        var message = SolanaMessage.ParseOwned(wire.AsMemory(messageOffset), problem);
        if (message.NumRequiredSignatures != signatureCount)
            throw new ChainRequestException(problem, $"The transaction has {signatureCount} signature slots but its message requires {message.NumRequiredSignatures}.");
        return new SolanaTransaction(wire, signaturesOffset, message);
    }

    /// <summary>
    /// True when <paramref name="data"/> reads as a wire transaction (at least one signature slot, then something that
    /// <see cref="SolanaMessage.LooksLikeMessage"/>), even one the runtime would refuse.
    /// </summary>
    internal static bool LooksLikeTransaction(ReadOnlySpan<byte> data)
    {
        int offset = 0;
        return CompactU16.TryRead(data, ref offset, out int signatures) && signatures > 0
            && (long)signatures * 64 <= data.Length - offset
            && SolanaMessage.LooksLikeMessage(data[(offset + signatures * 64)..]);
    }

    /// <summary>The wire bytes with <paramref name="signature64"/> in slot <paramref name="index"/>; other slots untouched.</summary>
    public byte[] WithSignature(int index, ReadOnlySpan<byte> signature64)
    {
        if ((uint)index >= (uint)Message.NumRequiredSignatures || signature64.Length != 64)
            throw new ArgumentOutOfRangeException(nameof(index));
        var copy = (byte[])_wire.Clone();
        signature64.CopyTo(copy.AsSpan(_signaturesOffset + 64 * index));
        return copy;
    }
}
