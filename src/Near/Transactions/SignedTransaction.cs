using Keystore.Near.Borsh;
using Keystore.Near.Encoding;

namespace Keystore.Near.Transactions;

/// <summary>nearcore <c>SignedTransaction { transaction, signature }</c>.</summary>
public sealed record SignedTransaction(Transaction Transaction, byte[] Signature)
{
    public byte[] ToBorsh()
    {
        var writer = new BorshWriter();
        Transaction.Write(writer);
        BorshKeys.WriteSignature(writer, Signature);
        return writer.ToArray();
    }

    /// <summary>What <c>send_tx</c>/<c>broadcast_tx_commit</c> take: base64 of the borsh bytes.</summary>
    public string ToBase64() => Convert.ToBase64String(ToBorsh());

    /// <summary>The transaction hash in NEAR's base58 text form.</summary>
    public string HashBase58 => Base58.Encode(Transaction.Hash());

    public bool VerifySignature() => Transaction.PublicKey.Verify(Transaction.Hash(), Signature);

    public static SignedTransaction FromBorsh(ReadOnlySpan<byte> bytes)
    {
        var reader = new BorshReader(bytes);
        var tx = Transaction.Read(ref reader);
        var sig = BorshKeys.ReadSignature(ref reader);
        reader.EnsureEnd();
        return new SignedTransaction(tx, sig);
    }

    public bool Equals(SignedTransaction? other) =>
        other is not null && Transaction.Equals(other.Transaction) && Signature.AsSpan().SequenceEqual(other.Signature);

    public override int GetHashCode() => Transaction.GetHashCode();
}
