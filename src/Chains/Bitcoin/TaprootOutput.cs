using NBitcoin;

namespace Keystore.Chains.Bitcoin;

/// <summary>
/// The public side of a BIP86 key (key path only, no script tree), computed once per key (<see cref="SigningKey.PublicValue{T}"/>)
/// instead of once per request: the internal key x(P) and the parity of its y, the TapTweak <c>t = tagged_hash("TapTweak", x(P))</c>,
/// the output key x(Q) with <c>Q = P + t·G</c>, its scriptPubKey, and the internal key as NBitcoin writes it into a PSBT (lifted
/// onto the curve in NBitcoin's managed code, which costs more than a signature's hashing).
/// </summary>
internal sealed class TaprootOutput
{
    private TaprootOutput(byte[] internalKey, bool internalKeyOddY, byte[] tweak, byte[] outputKey)
    {
        InternalKey = internalKey;
        InternalKeyOddY = internalKeyOddY;
        Tweak = tweak;
        OutputKey = outputKey;
        Script = new Script([0x51, 0x20, .. outputKey]);
        PsbtInternalKey = new TaprootInternalPubKey(internalKey);
    }

    /// <summary>x(P), 32 bytes.</summary>
    public byte[] InternalKey { get; }

    /// <summary>Whether P's y is odd (then BIP341 signs with n − d).</summary>
    public bool InternalKeyOddY { get; }

    public byte[] Tweak { get; }

    /// <summary>x(Q), 32 bytes.</summary>
    public byte[] OutputKey { get; }

    /// <summary><c>OP_1 OP_PUSHBYTES_32 x(Q)</c>.</summary>
    public Script Script { get; }

    public TaprootInternalPubKey PsbtInternalKey { get; }

    /// <summary>For a 33-byte compressed public key.</summary>
    /// <exception cref="ArgumentException">Not a valid compressed secp256k1 key.</exception>
    public static TaprootOutput Of(byte[] compressed33)
    {
        if (compressed33.Length != 33 || !Secp256k1.IsValidPublicKey(compressed33))
            throw new ArgumentException("Not a valid 33-byte compressed secp256k1 public key.", nameof(compressed33));
        byte[] internalKey = compressed33[1..];
        var tweak = new byte[32];
        Secp256k1.TapTweak(internalKey, [], tweak);
        var outputKey = new byte[32];
        if (!Secp256k1.TryTweakXOnlyPublicKey(internalKey, tweak, outputKey, out _))
            throw new ArgumentException("The key cannot be tweaked.", nameof(compressed33));
        return new TaprootOutput(internalKey, compressed33[0] == 0x03, tweak, outputKey);
    }
}
