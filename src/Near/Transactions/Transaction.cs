using System.Security.Cryptography;
using Keystore.Near.Borsh;
using Keystore.Near.Keys;

namespace Keystore.Near.Transactions;

/// <summary>nearcore <c>Transaction</c> (V0 layout), borsh field order as declared.</summary>
public sealed record Transaction(
    string SignerId,
    Ed25519PublicKey PublicKey,
    ulong Nonce,
    string ReceiverId,
    byte[] BlockHash,
    IReadOnlyList<NearAction> Actions)
{
    public byte[] ToBorsh()
    {
        var writer = new BorshWriter();
        Write(writer);
        return writer.ToArray();
    }

    public void Write(BorshWriter writer)
    {
        if (BlockHash.Length != 32) throw new InvalidOperationException("Block hash must be 32 bytes.");
        writer.String(SignerId);
        BorshKeys.WritePublicKey(writer, PublicKey);
        writer.U64(Nonce).String(ReceiverId).Fixed(BlockHash).Vec(Actions, (w, a) => a.Write(w));
    }

    /// <summary>The transaction hash NEAR signs and reports: sha256 of the borsh bytes.</summary>
    public byte[] Hash() => SHA256.HashData(ToBorsh());

    public SignedTransaction Sign(Ed25519KeyPair key)
    {
        if (!key.PublicKey.Equals(PublicKey)) throw new InvalidOperationException("The signing key is not the transaction's public key.");
        return new SignedTransaction(this, key.Sign(Hash()));
    }

    public static Transaction FromBorsh(ReadOnlySpan<byte> bytes)
    {
        var reader = new BorshReader(bytes);
        var tx = Read(ref reader);
        reader.EnsureEnd();
        return tx;
    }

    public static Transaction Read(ref BorshReader reader)
    {
        string signer = reader.String();
        var key = BorshKeys.ReadPublicKey(ref reader);
        ulong nonce = reader.U64();
        string receiver = reader.String();
        byte[] blockHash = reader.Fixed(32);
        uint count = reader.U32();
        if (count > reader.Remaining) throw new FormatException("Borsh: action count exceeds input.");
        var actions = new List<NearAction>((int)count);
        for (uint i = 0; i < count; i++) actions.Add(NearAction.Read(ref reader));
        return new Transaction(signer, key, nonce, receiver, blockHash, actions);
    }

    public bool Equals(Transaction? other) =>
        other is not null && SignerId == other.SignerId && PublicKey.Equals(other.PublicKey) && Nonce == other.Nonce &&
        ReceiverId == other.ReceiverId && BlockHash.AsSpan().SequenceEqual(other.BlockHash) && Actions.SequenceEqual(other.Actions);

    public override int GetHashCode() => HashCode.Combine(SignerId, Nonce, ReceiverId);
}
