using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Keystore.Chains.Interop;

/// <summary>
/// Every native call into libsecp256k1 (Bitcoin Core's constant-time library, Debian 0.2.0 with the
/// recovery, extrakeys and schnorrsig modules). Only raw pointers cross the boundary so the
/// generated stubs marshal nothing; the safe API is <see cref="Keystore.Chains.Secp256k1"/>.
/// Signatures follow /usr/include/secp256k1*.h.
/// </summary>
internal static unsafe partial class Secp256k1Native
{
    private const string Library = "secp256k1";

    // Candidate names in order: the Debian runtime package only ships the versioned soname; the
    // unversioned link comes with -dev; the bare name lets other platforms probe their defaults.
    private static readonly string[] Candidates = ["libsecp256k1.so.1", "libsecp256k1.so", "libsecp256k1"];

    internal const string MissingLibraryMessage = "libsecp256k1 not found: apt-get install libsecp256k1-1";

    // Sizes of the opaque structs (secp256k1.h, secp256k1_extrakeys.h, secp256k1_recovery.h).
    internal const int PubkeySize = 64;
    internal const int SignatureSize = 64;
    internal const int RecoverableSignatureSize = 65;
    internal const int XOnlyPubkeySize = 64;
    internal const int KeypairSize = 96;

    // Flags (secp256k1.h).
    internal const uint ContextSign = (1 << 0) | (1 << 9);
    internal const uint ContextVerify = (1 << 0) | (1 << 8);
    internal const uint EcCompressed = (1 << 1) | (1 << 8);
    internal const uint EcUncompressed = 1 << 1;

    static Secp256k1Native()
    {
        NativeLibrary.SetDllImportResolver(typeof(Secp256k1Native).Assembly, Resolve);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library) return IntPtr.Zero;
        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
                return handle;
        }
        throw new DllNotFoundException(MissingLibraryMessage);
    }

    /// <summary>Forces the resolver registration (runs the static constructor).</summary>
    internal static void EnsureResolver() { }

    /// <summary>
    /// libsecp256k1's default "illegal argument" callback calls abort(), which would kill the
    /// whole keystore on a programming error. With this one the call returns 0 and the safe wrapper
    /// turns that into an exception or a false result.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    internal static void IgnoreIllegalArgument(byte* message, void* data) { }

    [LibraryImport(Library)]
    internal static partial nint secp256k1_context_create(uint flags);

    [LibraryImport(Library)]
    internal static partial void secp256k1_context_destroy(nint ctx);

    [LibraryImport(Library)]
    internal static partial void secp256k1_context_set_illegal_callback(nint ctx, delegate* unmanaged[Cdecl]<byte*, void*, void> fun, void* data);

    [LibraryImport(Library)]
    internal static partial int secp256k1_context_randomize(nint ctx, byte* seed32);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ec_seckey_verify(nint ctx, byte* seckey);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ec_seckey_tweak_add(nint ctx, byte* seckey, byte* tweak32);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ec_seckey_negate(nint ctx, byte* seckey);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ec_pubkey_create(nint ctx, byte* pubkey, byte* seckey);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ec_pubkey_parse(nint ctx, byte* pubkey, byte* input, nuint inputlen);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ec_pubkey_serialize(nint ctx, byte* output, nuint* outputlen, byte* pubkey, uint flags);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ec_pubkey_tweak_add(nint ctx, byte* pubkey, byte* tweak32);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ecdsa_signature_parse_compact(nint ctx, byte* sig, byte* input64);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ecdsa_verify(nint ctx, byte* sig, byte* msghash32, byte* pubkey);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ecdsa_sign_recoverable(nint ctx, byte* sig, byte* msghash32, byte* seckey, nint noncefp, void* ndata);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ecdsa_recoverable_signature_serialize_compact(nint ctx, byte* output64, int* recid, byte* sig);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ecdsa_recoverable_signature_parse_compact(nint ctx, byte* sig, byte* input64, int recid);

    [LibraryImport(Library)]
    internal static partial int secp256k1_ecdsa_recover(nint ctx, byte* pubkey, byte* sig, byte* msghash32);

    [LibraryImport(Library)]
    internal static partial int secp256k1_xonly_pubkey_parse(nint ctx, byte* pubkey, byte* input32);

    [LibraryImport(Library)]
    internal static partial int secp256k1_xonly_pubkey_serialize(nint ctx, byte* output32, byte* pubkey);

    [LibraryImport(Library)]
    internal static partial int secp256k1_xonly_pubkey_from_pubkey(nint ctx, byte* xonlyPubkey, int* pkParity, byte* pubkey);

    [LibraryImport(Library)]
    internal static partial int secp256k1_xonly_pubkey_tweak_add(nint ctx, byte* outputPubkey, byte* internalPubkey, byte* tweak32);

    [LibraryImport(Library)]
    internal static partial int secp256k1_keypair_create(nint ctx, byte* keypair, byte* seckey);

    [LibraryImport(Library)]
    internal static partial int secp256k1_keypair_xonly_pub(nint ctx, byte* pubkey, int* pkParity, byte* keypair);

    [LibraryImport(Library)]
    internal static partial int secp256k1_keypair_xonly_tweak_add(nint ctx, byte* keypair, byte* tweak32);

    [LibraryImport(Library)]
    internal static partial int secp256k1_schnorrsig_sign_custom(nint ctx, byte* sig64, byte* msg, nuint msglen, byte* keypair, SchnorrExtraParams* extraparams);

    [LibraryImport(Library)]
    internal static partial int secp256k1_schnorrsig_verify(nint ctx, byte* sig64, byte* msg, nuint msglen, byte* pubkey);

    /// <summary>secp256k1_schnorrsig_extraparams: magic, nonce function (null = BIP340), nonce data (aux_rand32).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SchnorrExtraParams
    {
        public uint Magic;
        public nint NonceFunction;
        public void* NonceData;

        /// <summary>SECP256K1_SCHNORRSIG_EXTRAPARAMS_MAGIC {0xda,0x6f,0xb3,0x8c} read as a little-endian uint.</summary>
        public const uint MagicValue = 0x8cb36fda;
    }
}
