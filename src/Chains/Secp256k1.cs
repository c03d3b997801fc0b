using System.Security.Cryptography;
using Keystore.Chains.Interop;
using static Keystore.Chains.Interop.Secp256k1Native;

namespace Keystore.Chains;

/// <summary>
/// Safe wrapper over libsecp256k1: key checks and tweaks (BIP32, BIP341), ECDSA with public-key
/// recovery (Ethereum), BIP340 Schnorr (Taproot). One process-wide context, created for signing
/// and verification and randomized once (side-channel blinding); libsecp256k1 contexts are safe to
/// share between threads for every call made here. Every native struct holding secret material
/// lives on the stack and is zeroed before returning. Exceptions never include key bytes.
/// </summary>
public static unsafe class Secp256k1
{
    public const int PrivateKeyLength = 32;
    public const int CompressedPublicKeyLength = 33;
    public const int UncompressedPublicKeyLength = 65;
    public const int XOnlyPublicKeyLength = 32;
    public const int SignatureLength = 64;

    // Lazy so that a missing library surfaces as the DllNotFoundException itself (with the
    // install hint) on every call, instead of a one-shot TypeInitializationException.
    private static readonly Lazy<nint> LazyContext = new(CreateContext, LazyThreadSafetyMode.ExecutionAndPublication);

    private static nint Ctx => LazyContext.Value;

    private static nint CreateContext()
    {
        EnsureResolver();
        nint ctx = secp256k1_context_create(ContextSign | ContextVerify);
        if (ctx == 0) throw new InvalidOperationException("secp256k1_context_create failed.");
        secp256k1_context_set_illegal_callback(ctx, &IgnoreIllegalArgument, null);
        byte* seed = stackalloc byte[32];
        var seedSpan = new Span<byte>(seed, 32);
        RandomNumberGenerator.Fill(seedSpan);
        int ok = secp256k1_context_randomize(ctx, seed);
        CryptographicOperations.ZeroMemory(seedSpan);
        if (ok != 1)
        {
            secp256k1_context_destroy(ctx);
            throw new InvalidOperationException("secp256k1_context_randomize failed.");
        }
        // The context lives as long as the process; the OS reclaims it.
        return ctx;
    }

    /// <summary>True when <paramref name="privateKey32"/> is 32 bytes and a scalar in [1, n-1].</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey32)
    {
        if (privateKey32.Length != PrivateKeyLength) return false;
        fixed (byte* sk = privateKey32)
            return secp256k1_ec_seckey_verify(Ctx, sk) == 1;
    }

    /// <summary>Writes the 33-byte compressed public key of <paramref name="privateKey32"/>.</summary>
    /// <exception cref="ArgumentException">The key is not a valid scalar or the output is not 33 bytes.</exception>
    public static void GetPublicKey(ReadOnlySpan<byte> privateKey32, Span<byte> compressed33)
    {
        if (compressed33.Length != CompressedPublicKeyLength)
            throw new ArgumentException("A compressed public key is 33 bytes.", nameof(compressed33));
        GetPublicKeyCore(privateKey32, compressed33, EcCompressed);
    }

    private static void GetPublicKeyCore(ReadOnlySpan<byte> privateKey32, Span<byte> output, uint flags)
    {
        if (privateKey32.Length != PrivateKeyLength)
            throw new ArgumentException("A secp256k1 private key is 32 bytes.", nameof(privateKey32));
        byte* pubkey = stackalloc byte[PubkeySize];
        fixed (byte* sk = privateKey32)
        fixed (byte* outp = output)
        {
            if (secp256k1_ec_pubkey_create(Ctx, pubkey, sk) != 1)
                throw new ArgumentException("The private key is not a valid secp256k1 scalar.", nameof(privateKey32));
            nuint len = (nuint)output.Length;
            secp256k1_ec_pubkey_serialize(Ctx, outp, &len, pubkey, flags);
        }
    }

    /// <summary>
    /// <c>sk = sk + tweak mod n</c> in place (BIP32 private child derivation). Returns false, leaving
    /// <paramref name="privateKey32"/> unchanged, when the tweak is ≥ n or the sum is zero, the
    /// cases where BIP32 says to skip the index.
    /// </summary>
    public static bool TryAddPrivateKeyTweak(Span<byte> privateKey32, ReadOnlySpan<byte> tweak32)
    {
        if (privateKey32.Length != PrivateKeyLength || tweak32.Length != 32) return false;
        // libsecp256k1 leaves the key in an unspecified state on failure; work on a copy.
        byte* work = stackalloc byte[32];
        var workSpan = new Span<byte>(work, 32);
        try
        {
            privateKey32.CopyTo(workSpan);
            fixed (byte* tw = tweak32)
            {
                if (secp256k1_ec_seckey_tweak_add(Ctx, work, tw) != 1) return false;
            }
            workSpan.CopyTo(privateKey32);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(workSpan);
        }
    }

    /// <summary>
    /// <c>P = P + tweak·G</c> on a 33-byte compressed key in place (BIP32 public child derivation).
    /// Returns false, leaving the key unchanged, when the key is invalid, the tweak ≥ n, or the
    /// result is the point at infinity.
    /// </summary>
    public static bool TryAddPublicKeyTweak(Span<byte> compressed33, ReadOnlySpan<byte> tweak32)
    {
        if (compressed33.Length != CompressedPublicKeyLength || tweak32.Length != 32) return false;
        byte* pubkey = stackalloc byte[PubkeySize];
        fixed (byte* pk = compressed33)
        fixed (byte* tw = tweak32)
        {
            if (secp256k1_ec_pubkey_parse(Ctx, pubkey, pk, 33) != 1) return false;
            if (secp256k1_ec_pubkey_tweak_add(Ctx, pubkey, tw) != 1) return false;
            nuint len = 33;
            return secp256k1_ec_pubkey_serialize(Ctx, pk, &len, pubkey, EcCompressed) == 1;
        }
    }

    /// <summary>True when <paramref name="publicKey"/> is a valid 33-byte compressed or 65-byte uncompressed point.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey)
    {
        byte* pubkey = stackalloc byte[PubkeySize];
        return TryParse(publicKey, pubkey);
    }

    /// <summary>Expands a compressed key to 65 bytes (0x04 ‖ x ‖ y). False when it is not a valid point.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> compressed33, Span<byte> uncompressed65)
    {
        if (compressed33.Length != CompressedPublicKeyLength || uncompressed65.Length != UncompressedPublicKeyLength) return false;
        return TryReserialize(compressed33, uncompressed65, EcUncompressed);
    }

    /// <summary>Compresses a 65-byte (or re-checks a 33-byte) public key. False when it is not a valid point.</summary>
    public static bool TryCompress(ReadOnlySpan<byte> publicKey, Span<byte> compressed33)
    {
        if (compressed33.Length != CompressedPublicKeyLength) return false;
        return TryReserialize(publicKey, compressed33, EcCompressed);
    }

    private static bool TryReserialize(ReadOnlySpan<byte> input, Span<byte> output, uint flags)
    {
        byte* pubkey = stackalloc byte[PubkeySize];
        if (!TryParse(input, pubkey)) return false;
        fixed (byte* outp = output)
        {
            nuint len = (nuint)output.Length;
            return secp256k1_ec_pubkey_serialize(Ctx, outp, &len, pubkey, flags) == 1 && len == (nuint)output.Length;
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> publicKey, byte* pubkey)
    {
        if (publicKey.Length != CompressedPublicKeyLength && publicKey.Length != UncompressedPublicKeyLength) return false;
        fixed (byte* input = publicKey)
            return secp256k1_ec_pubkey_parse(Ctx, pubkey, input, (nuint)publicKey.Length) == 1;
    }

    // ---------------------------------------------------------------- ECDSA

    /// <summary>
    /// ECDSA over a 32-byte hash with an RFC 6979 deterministic nonce; the signature is always
    /// low-s (libsecp256k1 normalizes). Writes r ‖ s to <paramref name="signature64"/> and returns
    /// the recovery id (0 or 1; 2 and 3 only when r overflowed n, which has negligible probability).
    /// </summary>
    /// <exception cref="ArgumentException">The key is not a valid scalar or a length is wrong.</exception>
    public static int SignRecoverable(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> hash32, Span<byte> signature64)
    {
        if (privateKey32.Length != PrivateKeyLength) throw new ArgumentException("A secp256k1 private key is 32 bytes.", nameof(privateKey32));
        if (hash32.Length != 32) throw new ArgumentException("ECDSA signs a 32-byte hash.", nameof(hash32));
        if (signature64.Length != SignatureLength) throw new ArgumentException("The signature is 64 bytes.", nameof(signature64));
        byte* sig = stackalloc byte[RecoverableSignatureSize];
        fixed (byte* sk = privateKey32)
        fixed (byte* msg = hash32)
        fixed (byte* outp = signature64)
        {
            // noncefp = NULL selects secp256k1_nonce_function_default (RFC 6979 HMAC-SHA256).
            if (secp256k1_ecdsa_sign_recoverable(Ctx, sig, msg, sk, 0, null) != 1)
                throw new ArgumentException("The private key is not a valid secp256k1 scalar.", nameof(privateKey32));
            int recid;
            secp256k1_ecdsa_recoverable_signature_serialize_compact(Ctx, outp, &recid, sig);
            return recid;
        }
    }

    /// <summary>
    /// Recovers the public key that produced <paramref name="signature64"/> over <paramref name="hash32"/>.
    /// Writes 33 or 65 bytes depending on <paramref name="publicKey"/>'s length. False when no key recovers.
    /// </summary>
    public static bool TryRecover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64, int recoveryId, Span<byte> publicKey)
    {
        if (hash32.Length != 32 || signature64.Length != SignatureLength || recoveryId is < 0 or > 3) return false;
        uint flags = publicKey.Length switch
        {
            CompressedPublicKeyLength => EcCompressed,
            UncompressedPublicKeyLength => EcUncompressed,
            _ => 0,
        };
        if (flags == 0) return false;
        byte* sig = stackalloc byte[RecoverableSignatureSize];
        byte* pubkey = stackalloc byte[PubkeySize];
        fixed (byte* input = signature64)
        fixed (byte* msg = hash32)
        fixed (byte* outp = publicKey)
        {
            if (secp256k1_ecdsa_recoverable_signature_parse_compact(Ctx, sig, input, recoveryId) != 1) return false;
            if (secp256k1_ecdsa_recover(Ctx, pubkey, sig, msg) != 1) return false;
            nuint len = (nuint)publicKey.Length;
            return secp256k1_ec_pubkey_serialize(Ctx, outp, &len, pubkey, flags) == 1;
        }
    }

    /// <summary>Verifies a compact (r ‖ s) ECDSA signature. High-s signatures are rejected, as libsecp256k1 does.</summary>
    public static bool VerifyEcdsa(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> signature64)
    {
        if (hash32.Length != 32 || signature64.Length != SignatureLength) return false;
        byte* pubkey = stackalloc byte[PubkeySize];
        byte* sig = stackalloc byte[SignatureSize];
        if (!TryParse(publicKey, pubkey)) return false;
        fixed (byte* input = signature64)
        fixed (byte* msg = hash32)
        {
            if (secp256k1_ecdsa_signature_parse_compact(Ctx, sig, input) != 1) return false;
            return secp256k1_ecdsa_verify(Ctx, sig, msg, pubkey) == 1;
        }
    }

    // ---------------------------------------------------------------- BIP340 / BIP341

    /// <summary>BIP340 Schnorr signature with 32 bytes of fresh auxiliary randomness from the OS CSPRNG.</summary>
    public static void SignSchnorr(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> message, Span<byte> signature64)
    {
        Span<byte> aux = stackalloc byte[32];
        RandomNumberGenerator.Fill(aux);
        SignSchnorr(privateKey32, message, aux, signature64);
    }

    /// <summary>
    /// BIP340 Schnorr signature with explicit auxiliary randomness (for the BIP340 vectors; in
    /// production use the overload that draws it from the CSPRNG). The message may be any length.
    /// </summary>
    public static void SignSchnorr(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> auxRand32, Span<byte> signature64)
        => SignSchnorrCore(privateKey32, taproot: false, merkleRoot: default, message, auxRand32, signature64);

    /// <summary>
    /// BIP341 key-path spend: tweaks the keypair by <c>tagged_hash("TapTweak", x(P) ‖ merkleRoot)</c>
    /// (<paramref name="merkleRoot"/> empty when there is no script tree, as for BIP86) and signs
    /// <paramref name="sighash32"/> with fresh auxiliary randomness from the OS CSPRNG.
    /// </summary>
    public static void SignTaprootKeyPath(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> merkleRoot, ReadOnlySpan<byte> sighash32, Span<byte> signature64)
    {
        Span<byte> aux = stackalloc byte[32];
        RandomNumberGenerator.Fill(aux);
        SignTaprootKeyPath(privateKey32, merkleRoot, sighash32, aux, signature64);
    }

    /// <summary>As the overload without <paramref name="auxRand32"/>, with explicit auxiliary randomness (for test vectors).</summary>
    public static void SignTaprootKeyPath(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> merkleRoot, ReadOnlySpan<byte> sighash32, ReadOnlySpan<byte> auxRand32, Span<byte> signature64)
    {
        if (sighash32.Length != 32) throw new ArgumentException("A Taproot sighash is 32 bytes.", nameof(sighash32));
        if (merkleRoot.Length is not (0 or 32)) throw new ArgumentException("A merkle root is 32 bytes (or empty).", nameof(merkleRoot));
        SignSchnorrCore(privateKey32, taproot: true, merkleRoot, sighash32, auxRand32, signature64);
    }

    /// <summary>
    /// BIP341 key-path signatures over <paramref name="sighashes"/> (32 bytes each, signatures 64 bytes each) for a key whose
    /// public side is known ahead: the parity of the internal key's y, the TapTweak <paramref name="tweak32"/> and the output
    /// key x(Q). BIP341's tweaked secret <c>d' = (y(P) odd ? n − d : d) + t</c> then costs two scalar operations instead of a
    /// point addition, one keypair signs every sighash (fresh auxiliary randomness from the OS CSPRNG for each), and each
    /// signature is verified against x(Q) before any is returned; on a failure none is.
    /// </summary>
    /// <exception cref="ArgumentException">A length is wrong, the key is not a valid scalar, or the tweak is not below n.</exception>
    /// <exception cref="InvalidOperationException">The tweaked key is not x(Q) or a signature failed its self-check.</exception>
    public static void SignTaprootKeyPath(ReadOnlySpan<byte> privateKey32, bool internalKeyOddY, ReadOnlySpan<byte> tweak32, ReadOnlySpan<byte> outputXOnly32, ReadOnlySpan<byte> sighashes, Span<byte> signatures)
        => SignTaprootKeyPathCore(privateKey32, internalKeyOddY, tweak32, outputXOnly32, sighashes, auxRands: default, signatures);

    /// <summary>As the overload without <paramref name="auxRands"/>, with explicit auxiliary randomness, 32 bytes a sighash (for test vectors).</summary>
    public static void SignTaprootKeyPath(ReadOnlySpan<byte> privateKey32, bool internalKeyOddY, ReadOnlySpan<byte> tweak32, ReadOnlySpan<byte> outputXOnly32, ReadOnlySpan<byte> sighashes, ReadOnlySpan<byte> auxRands, Span<byte> signatures)
    {
        if (auxRands.Length != sighashes.Length) throw new ArgumentException("BIP340 auxiliary randomness is 32 bytes a signature.", nameof(auxRands));
        SignTaprootKeyPathCore(privateKey32, internalKeyOddY, tweak32, outputXOnly32, sighashes, auxRands, signatures);
    }

    private static void SignTaprootKeyPathCore(ReadOnlySpan<byte> privateKey32, bool internalKeyOddY, ReadOnlySpan<byte> tweak32, ReadOnlySpan<byte> outputXOnly32, ReadOnlySpan<byte> sighashes, ReadOnlySpan<byte> auxRands, Span<byte> signatures)
    {
        if (privateKey32.Length != PrivateKeyLength) throw new ArgumentException("A secp256k1 private key is 32 bytes.", nameof(privateKey32));
        if (tweak32.Length != 32) throw new ArgumentException("A TapTweak is 32 bytes.", nameof(tweak32));
        if (outputXOnly32.Length != XOnlyPublicKeyLength) throw new ArgumentException("An output key is 32 bytes.", nameof(outputXOnly32));
        if (sighashes.Length == 0 || sighashes.Length % 32 != 0) throw new ArgumentException("Taproot sighashes are 32 bytes each.", nameof(sighashes));
        if (signatures.Length != sighashes.Length * 2) throw new ArgumentException("The signatures are 64 bytes each.", nameof(signatures));
        byte* secret = stackalloc byte[PrivateKeyLength];
        var secretSpan = new Span<byte>(secret, PrivateKeyLength);
        byte* keypair = stackalloc byte[KeypairSize];
        var keypairSpan = new Span<byte>(keypair, KeypairSize);
        byte* xonly = stackalloc byte[XOnlyPubkeySize];
        Span<byte> tweakedX = stackalloc byte[32];
        Span<byte> aux = stackalloc byte[32];
        bool released = false;
        try
        {
            privateKey32.CopyTo(secretSpan);
            fixed (byte* tw = tweak32)
            fixed (byte* x = tweakedX)
            {
                if (internalKeyOddY && secp256k1_ec_seckey_negate(Ctx, secret) != 1)
                    throw new ArgumentException("The private key is not a valid secp256k1 scalar.", nameof(privateKey32));
                if (secp256k1_ec_seckey_tweak_add(Ctx, secret, tw) != 1)
                    throw new ArgumentException("The Taproot tweak is not below n or gives a zero key.", nameof(tweak32));
                if (secp256k1_keypair_create(Ctx, keypair, secret) != 1)
                    throw new ArgumentException("The private key is not a valid secp256k1 scalar.", nameof(privateKey32));
                secp256k1_keypair_xonly_pub(Ctx, xonly, null, keypair);
                secp256k1_xonly_pubkey_serialize(Ctx, x, xonly);
            }
            // A wrong parity or tweak, or a fault, would sign for another key than the output the PSBT commits to.
            if (!tweakedX.SequenceEqual(outputXOnly32))
                throw new InvalidOperationException("The tweaked key is not the Taproot output key.");
            for (int offset = 0; offset < sighashes.Length; offset += 32)
            {
                if (auxRands.IsEmpty) RandomNumberGenerator.Fill(aux);
                else auxRands.Slice(offset, 32).CopyTo(aux);
                fixed (byte* msg = sighashes.Slice(offset, 32))
                fixed (byte* a = aux)
                fixed (byte* outp = signatures.Slice(offset * 2, 64))
                {
                    var extra = new SchnorrExtraParams { Magic = SchnorrExtraParams.MagicValue, NonceFunction = 0, NonceData = a };
                    if (secp256k1_schnorrsig_sign_custom(Ctx, outp, msg, 32, keypair, &extra) != 1)
                        throw new InvalidOperationException("BIP340 signing failed.");
                    // BIP340 recommends verifying before releasing: a computation fault could otherwise leak the key.
                    if (secp256k1_schnorrsig_verify(Ctx, outp, msg, 32, xonly) != 1)
                        throw new InvalidOperationException("A BIP340 signature failed its self-check.");
                }
            }
            released = true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretSpan);
            CryptographicOperations.ZeroMemory(keypairSpan);
            if (!released) signatures.Clear();
        }
    }

    /// <summary><c>tagged_hash("TapTweak", x(P) ‖ merkleRoot)</c>; the merkle root is empty without a script tree.</summary>
    public static void TapTweak(ReadOnlySpan<byte> internalXOnly32, ReadOnlySpan<byte> merkleRoot, Span<byte> tweak32)
    {
        if (internalXOnly32.Length != 32) throw new ArgumentException("An x-only key is 32 bytes.", nameof(internalXOnly32));
        if (merkleRoot.Length is not (0 or 32)) throw new ArgumentException("A merkle root is 32 bytes (or empty).", nameof(merkleRoot));
        Span<byte> data = stackalloc byte[64];
        internalXOnly32.CopyTo(data);
        merkleRoot.CopyTo(data[32..]);
        TaggedHash.Compute("TapTweak", data[..(32 + merkleRoot.Length)], tweak32);
    }

    /// <summary>
    /// BIP340 signing, verified before it is returned. With <paramref name="taproot"/>, the keypair is first tweaked by
    /// <c>TapTweak(x(P) ‖ merkleRoot)</c>; x(P) comes from the keypair already built, so a key-path
    /// signature costs no extra point multiplication for the internal key.
    /// </summary>
    private static void SignSchnorrCore(ReadOnlySpan<byte> privateKey32, bool taproot, ReadOnlySpan<byte> merkleRoot, ReadOnlySpan<byte> message, ReadOnlySpan<byte> auxRand32, Span<byte> signature64)
    {
        if (privateKey32.Length != PrivateKeyLength) throw new ArgumentException("A secp256k1 private key is 32 bytes.", nameof(privateKey32));
        if (auxRand32.Length != 32) throw new ArgumentException("BIP340 auxiliary randomness is 32 bytes.", nameof(auxRand32));
        if (signature64.Length != SignatureLength) throw new ArgumentException("The signature is 64 bytes.", nameof(signature64));
        byte* keypair = stackalloc byte[KeypairSize];
        var keypairSpan = new Span<byte>(keypair, KeypairSize);
        byte* xonly = stackalloc byte[XOnlyPubkeySize];
        Span<byte> internalX = stackalloc byte[32];
        Span<byte> tweak = stackalloc byte[32];
        try
        {
            fixed (byte* sk = privateKey32)
            fixed (byte* msg = message)
            fixed (byte* aux = auxRand32)
            fixed (byte* outp = signature64)
            fixed (byte* ix = internalX)
            fixed (byte* tw = tweak)
            {
                if (secp256k1_keypair_create(Ctx, keypair, sk) != 1)
                    throw new ArgumentException("The private key is not a valid secp256k1 scalar.", nameof(privateKey32));
                if (taproot)
                {
                    secp256k1_keypair_xonly_pub(Ctx, xonly, null, keypair);
                    secp256k1_xonly_pubkey_serialize(Ctx, ix, xonly);
                    TapTweak(internalX, merkleRoot, tweak);
                    if (secp256k1_keypair_xonly_tweak_add(Ctx, keypair, tw) != 1)
                        throw new InvalidOperationException("The Taproot tweak produced an invalid key.");
                }
                var extra = new SchnorrExtraParams { Magic = SchnorrExtraParams.MagicValue, NonceFunction = 0, NonceData = aux };
                // An empty message gives a null pointer, which libsecp256k1 accepts when msglen is 0.
                if (secp256k1_schnorrsig_sign_custom(Ctx, outp, msg, (nuint)message.Length, keypair, &extra) != 1)
                    throw new InvalidOperationException("BIP340 signing failed.");
                // BIP340 recommends verifying before releasing a signature: a computation fault
                // could otherwise leak the key through a bad signature.
                secp256k1_keypair_xonly_pub(Ctx, xonly, null, keypair);
                if (secp256k1_schnorrsig_verify(Ctx, outp, msg, (nuint)message.Length, xonly) != 1)
                {
                    signature64.Clear();
                    throw new InvalidOperationException("A BIP340 signature failed its self-check.");
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keypairSpan);
        }
    }

    /// <summary>Verifies a BIP340 signature against a 32-byte x-only public key; the message may be any length.</summary>
    public static bool VerifySchnorr(ReadOnlySpan<byte> xOnlyPublicKey32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64)
    {
        if (xOnlyPublicKey32.Length != XOnlyPublicKeyLength || signature64.Length != SignatureLength) return false;
        byte* xonly = stackalloc byte[XOnlyPubkeySize];
        fixed (byte* pk = xOnlyPublicKey32)
        fixed (byte* msg = message)
        fixed (byte* sig = signature64)
        {
            if (secp256k1_xonly_pubkey_parse(Ctx, xonly, pk) != 1) return false;
            return secp256k1_schnorrsig_verify(Ctx, sig, msg, (nuint)message.Length, xonly) == 1;
        }
    }

    /// <summary>The 32-byte x-only public key of a private key, and the parity of its y (1 = odd).</summary>
    public static void GetXOnlyPublicKey(ReadOnlySpan<byte> privateKey32, Span<byte> xOnly32, out int parity)
    {
        if (privateKey32.Length != PrivateKeyLength) throw new ArgumentException("A secp256k1 private key is 32 bytes.", nameof(privateKey32));
        if (xOnly32.Length != XOnlyPublicKeyLength) throw new ArgumentException("An x-only key is 32 bytes.", nameof(xOnly32));
        byte* keypair = stackalloc byte[KeypairSize];
        byte* xonly = stackalloc byte[XOnlyPubkeySize];
        try
        {
            fixed (byte* sk = privateKey32)
            fixed (byte* outp = xOnly32)
            {
                if (secp256k1_keypair_create(Ctx, keypair, sk) != 1)
                    throw new ArgumentException("The private key is not a valid secp256k1 scalar.", nameof(privateKey32));
                int p;
                secp256k1_keypair_xonly_pub(Ctx, xonly, &p, keypair);
                secp256k1_xonly_pubkey_serialize(Ctx, outp, xonly);
                parity = p;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(new Span<byte>(keypair, KeypairSize));
        }
    }

    /// <summary>
    /// BIP341 output key <c>Q = P + tagged_hash("TapTweak", x(P) ‖ merkleRoot)·G</c> for the x-only
    /// internal key P (<paramref name="merkleRoot"/> empty: no script tree). Writes x(Q) and the
    /// parity of Q's y; false when P is not on the curve.
    /// </summary>
    public static bool TryGetTaprootOutputKey(ReadOnlySpan<byte> internalXOnly32, ReadOnlySpan<byte> merkleRoot, Span<byte> outputXOnly32, out int parity)
    {
        parity = 0;
        if (internalXOnly32.Length != XOnlyPublicKeyLength || merkleRoot.Length is not (0 or 32)) return false;
        Span<byte> tweak = stackalloc byte[32];
        TapTweak(internalXOnly32, merkleRoot, tweak);
        return TryTweakXOnlyPublicKey(internalXOnly32, tweak, outputXOnly32, out parity);
    }

    /// <summary>
    /// <c>Q = P + tweak·G</c> for an x-only key P (even y). Writes x(Q) and the parity of Q's y.
    /// False when P is invalid, the tweak ≥ n, or Q is infinity.
    /// </summary>
    public static bool TryTweakXOnlyPublicKey(ReadOnlySpan<byte> internalXOnly32, ReadOnlySpan<byte> tweak32, Span<byte> outputXOnly32, out int parity)
    {
        parity = 0;
        if (internalXOnly32.Length != 32 || tweak32.Length != 32 || outputXOnly32.Length != 32) return false;
        byte* xonly = stackalloc byte[XOnlyPubkeySize];
        byte* tweaked = stackalloc byte[PubkeySize];
        byte* tweakedX = stackalloc byte[XOnlyPubkeySize];
        fixed (byte* input = internalXOnly32)
        fixed (byte* tw = tweak32)
        fixed (byte* outp = outputXOnly32)
        {
            if (secp256k1_xonly_pubkey_parse(Ctx, xonly, input) != 1) return false;
            if (secp256k1_xonly_pubkey_tweak_add(Ctx, tweaked, xonly, tw) != 1) return false;
            int p;
            if (secp256k1_xonly_pubkey_from_pubkey(Ctx, tweakedX, &p, tweaked) != 1) return false;
            secp256k1_xonly_pubkey_serialize(Ctx, outp, tweakedX);
            parity = p;
            return true;
        }
    }
}
