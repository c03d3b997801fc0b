using Keystore.Near.Keys;
using Xunit;

namespace Keystore.Near.Tests.Encoding;

public class KeyFormatTests
{
    [Fact]
    public void Secret_key_text_round_trips_and_matches_public_key()
    {
        using var pair = Ed25519KeyPair.Generate();
        string secret = pair.ExportSecretKey();
        Assert.StartsWith("ed25519:", secret);
        using var again = Ed25519KeyPair.ParseSecretKey(secret);
        Assert.Equal(pair.PublicKey, again.PublicKey);
        Assert.Equal(pair.PublicKey, Ed25519PublicKey.Parse(pair.PublicKey.ToString()));
        Assert.DoesNotContain(secret[8..], pair.ToString());
        var sig = pair.Sign("hi"u8);
        Assert.True(again.PublicKey.Verify("hi"u8, sig));
        Assert.False(again.PublicKey.Verify("ho"u8, sig));
    }

    [Fact]
    public void Rejects_mismatched_or_malformed_keys()
    {
        using var a = Ed25519KeyPair.Generate();
        using var b = Ed25519KeyPair.Generate();
        var aBytes = Keystore.Near.Encoding.Base58.Decode(a.ExportSecretKey()[8..]);
        var bBytes = Keystore.Near.Encoding.Base58.Decode(b.ExportSecretKey()[8..]);
        var mixed = aBytes[..32].Concat(bBytes[32..]).ToArray();
        Assert.Throws<FormatException>(() => Ed25519KeyPair.ParseSecretKey("ed25519:" + Keystore.Near.Encoding.Base58.Encode(mixed)));
        Assert.Throws<FormatException>(() => Ed25519KeyPair.ParseSecretKey("secp256k1:" + Keystore.Near.Encoding.Base58.Encode(aBytes)));
        Assert.False(Ed25519PublicKey.TryParse("ed25519:abc", out _));
        Assert.False(Ed25519PublicKey.TryParse("secp256k1:11111111111111111111111111111111", out _));
    }
}
