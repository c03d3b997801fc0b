using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Keystore.Chains.Benchmarks;

/// <summary>
/// The baselines' own bindings to libsecp256k1, independent of the keystore's wrapper (<see cref="Secp256k1"/>): exactly one
/// signature and one verification per call, from the key as a <see cref="SigningKey"/> holds it (32 secret bytes and the
/// 33-byte compressed public key), so the ratio measures everything the keystore adds around the library.
/// </summary>
internal static unsafe partial class RawSecp256k1
{
    private const string Library = "libsecp256k1.so.1";
    private const uint ContextSignAndVerify = (1 << 0) | (1 << 8) | (1 << 9);
    private const uint SchnorrExtraParamsMagic = 0x8cb36fda;

    private static readonly nint Context = CreateContext();

    private static nint CreateContext()
    {
        nint context = secp256k1_context_create(ContextSignAndVerify);
        byte* seed = stackalloc byte[32];
        RandomNumberGenerator.Fill(new Span<byte>(seed, 32));
        if (context == 0 || secp256k1_context_randomize(context, seed) != 1) throw new InvalidOperationException("libsecp256k1 context.");
        return context;
    }

    /// <summary>ECDSA with recovery id (as Ethereum signs), then its verification against the serialized public key.</summary>
    public static bool EcdsaSignAndVerify(byte[] secretKey, byte[] compressedPublicKey, byte[] hash32, byte[] signature64)
    {
        byte* recoverable = stackalloc byte[65];
        byte* signature = stackalloc byte[64];
        byte* publicKey = stackalloc byte[64];
        int recoveryId;
        fixed (byte* secret = secretKey)
        fixed (byte* hash = hash32)
        fixed (byte* compact = signature64)
        fixed (byte* serialized = compressedPublicKey)
        {
            if (secp256k1_ecdsa_sign_recoverable(Context, recoverable, hash, secret, 0, null) != 1) return false;
            secp256k1_ecdsa_recoverable_signature_serialize_compact(Context, compact, &recoveryId, recoverable);
            return secp256k1_ecdsa_signature_parse_compact(Context, signature, compact) == 1
                && secp256k1_ec_pubkey_parse(Context, publicKey, serialized, 33) == 1
                && secp256k1_ecdsa_verify(Context, signature, hash, publicKey) == 1;
        }
    }

    /// <summary>BIP340 with fresh auxiliary randomness (the keypair is what libsecp256k1 signs with), then its verification.</summary>
    public static bool Bip340SignAndVerify(byte[] secretKey, byte[] message32, byte[] signature64)
    {
        byte* keypair = stackalloc byte[96];
        byte* xonly = stackalloc byte[64];
        byte* aux = stackalloc byte[32];
        RandomNumberGenerator.Fill(new Span<byte>(aux, 32));
        try
        {
            fixed (byte* secret = secretKey)
            fixed (byte* message = message32)
            fixed (byte* signature = signature64)
            {
                var extra = new SchnorrExtraParams { Magic = SchnorrExtraParamsMagic, NonceFunction = 0, NonceData = aux };
                if (secp256k1_keypair_create(Context, keypair, secret) != 1) return false;
                if (secp256k1_schnorrsig_sign_custom(Context, signature, message, 32, keypair, &extra) != 1) return false;
                secp256k1_keypair_xonly_pub(Context, xonly, null, keypair);
                return secp256k1_schnorrsig_verify(Context, signature, message, 32, xonly) == 1;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(new Span<byte>(keypair, 96));
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchnorrExtraParams
    {
        public uint Magic;
        public nint NonceFunction;
        public void* NonceData;
    }

    [LibraryImport(Library)]
    private static partial nint secp256k1_context_create(uint flags);

    [LibraryImport(Library)]
    private static partial int secp256k1_context_randomize(nint ctx, byte* seed32);

    [LibraryImport(Library)]
    private static partial int secp256k1_ec_pubkey_parse(nint ctx, byte* pubkey, byte* input, nuint inputlen);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_sign_recoverable(nint ctx, byte* sig, byte* msghash32, byte* seckey, nint noncefp, void* ndata);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_recoverable_signature_serialize_compact(nint ctx, byte* output64, int* recid, byte* sig);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_signature_parse_compact(nint ctx, byte* sig, byte* input64);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_verify(nint ctx, byte* sig, byte* msghash32, byte* pubkey);

    [LibraryImport(Library)]
    private static partial int secp256k1_keypair_create(nint ctx, byte* keypair, byte* seckey);

    [LibraryImport(Library)]
    private static partial int secp256k1_keypair_xonly_pub(nint ctx, byte* pubkey, int* pkParity, byte* keypair);

    [LibraryImport(Library)]
    private static partial int secp256k1_schnorrsig_sign_custom(nint ctx, byte* sig64, byte* msg, nuint msglen, byte* keypair, SchnorrExtraParams* extraparams);

    [LibraryImport(Library)]
    private static partial int secp256k1_schnorrsig_verify(nint ctx, byte* sig64, byte* msg, nuint msglen, byte* pubkey);
}
