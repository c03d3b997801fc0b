namespace Keystore.Chains.Solana;

/// <summary>
/// A Solana wire transaction: compact-u16 signature count, the 64-byte signatures, then the
/// message. The signature count must equal the message's required signers.
/// </summary>
public sealed class SolanaTransaction
{
    private readonly byte[] _bytes;
    private readonly int _signaturesOffset;

    private SolanaTransaction(byte[] bytes, int signaturesOffset, int messageOffset, SolanaMessage message)
    {
        _bytes = bytes;
        _signaturesOffset = signaturesOffset;
        MessageOffset = messageOffset;
        Message = message;
    }

    public SolanaMessage Message { get; }

    private int MessageOffset { get; }

    /// <summary>The serialized message: what every signature covers.</summary>
    public ReadOnlySpan<byte> MessageBytes => _bytes.AsSpan(MessageOffset);

    public static SolanaTransaction Parse(byte[] wire, ChainError problem)
    {
        int offset = 0;
        if (!CompactU16.TryRead(wire, ref offset, out int signatureCount))
            throw new ChainRequestException(problem, "Malformed Solana transaction: bad signature count.");
        int signaturesOffset = offset;
        if (wire.Length - offset < 64L * signatureCount)
            throw new ChainRequestException(problem, "Malformed Solana transaction: truncated signatures.");
        int messageOffset = offset + 64 * signatureCount;
        var message = SolanaMessage.Parse(wire.AsSpan(messageOffset), problem);
        if (message.NumRequiredSignatures != signatureCount)
            throw new ChainRequestException(problem, $"The transaction has {signatureCount} signature slots but its message requires {message.NumRequiredSignatures}.");
        return new SolanaTransaction(wire, signaturesOffset, messageOffset, message);
    }

    /// <summary>The wire bytes with <paramref name="signature64"/> in slot <paramref name="index"/>; other slots untouched.</summary>
    public byte[] WithSignature(int index, ReadOnlySpan<byte> signature64)
    {
        if ((uint)index >= (uint)Message.NumRequiredSignatures || signature64.Length != 64)
            throw new ArgumentOutOfRangeException(nameof(index));
        var copy = (byte[])_bytes.Clone();
        signature64.CopyTo(copy.AsSpan(_signaturesOffset + 64 * index));
        return copy;
    }
}
