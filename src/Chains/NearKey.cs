// In the Chains root rather than an Encoding folder: a Keystore.Chains.Encoding namespace would shadow
// System.Text.Encoding for every file under Keystore.Chains.
namespace Keystore.Chains;

/// <summary>NEAR's textual public key notation: <c>&lt;curve&gt;:&lt;base58&gt;</c>.</summary>
public static class NearKey
{
    /// <summary><c>secp256k1:&lt;base58 of x ‖ y&gt;</c> for a 33-byte compressed key (NEAR stores the 64-byte raw point).</summary>
    public static string FromSecp256k1(ReadOnlySpan<byte> compressed33)
    {
        Span<byte> full = stackalloc byte[65];
        if (!Secp256k1.TryDecompress(compressed33, full))
            throw new ArgumentException("Not a valid 33-byte compressed secp256k1 public key.", nameof(compressed33));
        return "secp256k1:" + Base58.Encode(full[1..]);
    }

    /// <summary><c>ed25519:&lt;base58 of 32 bytes&gt;</c>.</summary>
    public static string FromEd25519(ReadOnlySpan<byte> publicKey32)
    {
        if (publicKey32.Length != 32) throw new ArgumentException("An ed25519 public key is 32 bytes.", nameof(publicKey32));
        return "ed25519:" + Base58.Encode(publicKey32);
    }
}
