using System.Text.RegularExpressions;
using Keystore.Chains;
using Keystore.Derivation;
using Keystore.Derivation.BIP32;
using Keystore.Derivation.SLIP10;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Derivation;

/// <summary>SLIP-0010 test vectors 1 and 2 for secp256k1 and ed25519: chain code, private and public key.</summary>
public partial class Slip10Tests
{
    public static IEnumerable<object[]> Vectors()
    {
        string curve = "", seed = "", path = "", chainCode = "", privateKey = "";
        foreach (string line in File.ReadLines(RepoPaths.Vector("slip-0010.md")))
        {
            Match header = VectorHeader().Match(line);
            if (header.Success) { curve = header.Groups[1].Value; continue; }
            if (line.StartsWith("###", StringComparison.Ordinal)) { curve = ""; continue; }
            if (curve is not ("secp256k1" or "ed25519")) continue;
            string t = line.Trim();
            if (t.StartsWith("Seed (hex): ", StringComparison.Ordinal)) seed = t["Seed (hex): ".Length..];
            else if (t.StartsWith("* Chain ", StringComparison.Ordinal)) path = t["* Chain ".Length..].Replace("<sub>H</sub>", "'");
            else if (t.StartsWith("* chain code: ", StringComparison.Ordinal)) chainCode = t["* chain code: ".Length..];
            else if (t.StartsWith("* private: ", StringComparison.Ordinal)) privateKey = t["* private: ".Length..];
            else if (t.StartsWith("* public: ", StringComparison.Ordinal))
                yield return [curve, seed, path, chainCode, privateKey, t["* public: ".Length..]];
        }
    }

    [Fact]
    public void Both_vectors_of_both_curves_are_read() => Assert.Equal(24, Vectors().Count());

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Derivation_matches_the_vector(string curve, string seedHex, string path, string chainCode, string privateKey, string publicKey)
    {
        byte[] seed = Convert.FromHexString(seedHex);
        DerivationPath p = DerivationPath.Parse(path);
        using ExtendedPrivateKey key = curve == "ed25519" ? Slip10Ed25519.Derive(seed, p) : Bip32.Derive(seed, p);
        Assert.Equal(chainCode, Convert.ToHexStringLower(key.ChainCode));
        Assert.Equal(privateKey, Convert.ToHexStringLower(key.PrivateKey));

        byte[] pub;
        if (curve == "ed25519")
        {
            using var ed = Key.Import(SignatureAlgorithm.Ed25519, key.PrivateKey, KeyBlobFormat.RawPrivateKey);
            pub = [0x00, .. ed.PublicKey.Export(KeyBlobFormat.RawPublicKey)]; // SLIP-0010 prefixes ed25519 keys with 0x00
        }
        else
        {
            pub = new byte[33];
            Secp256k1.GetPublicKey(key.PrivateKey, pub);
        }
        Assert.Equal(publicKey, Convert.ToHexStringLower(pub));
    }

    [Fact]
    public void Ed25519_refuses_a_non_hardened_child()
    {
        using ExtendedPrivateKey master = Slip10Ed25519.CreateMaster(new byte[16]);
        Assert.Throws<ArgumentException>(() => Slip10Ed25519.DeriveChild(master, 1));
    }

    [GeneratedRegex("^### Test vector \\d for (\\w+)$")]
    private static partial Regex VectorHeader();
}
