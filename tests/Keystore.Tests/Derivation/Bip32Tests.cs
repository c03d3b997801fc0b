using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Keystore.Chains;
using Keystore.Derivation;
using Keystore.Derivation.BIP32;
using Keystore.Tests.Support;

namespace Keystore.Tests.Derivation;

/// <summary>BIP32 test vectors 1–4 (bip-0032.mediawiki): every chain's serialized xprv.</summary>
public partial class Bip32Tests
{
    public static IEnumerable<object[]> Vectors()
    {
        string seed = "";
        string path = "";
        int vector = 0;
        foreach (string line in File.ReadLines(RepoPaths.Vector("bip-0032.mediawiki")))
        {
            Match header = VectorHeader().Match(line);
            if (header.Success) vector = int.Parse(header.Groups[1].Value);
            if (vector is < 1 or > 4) continue;
            if (line.StartsWith("Seed (hex): ", StringComparison.Ordinal)) seed = line["Seed (hex): ".Length..].Trim();
            else if (line.StartsWith("* Chain ", StringComparison.Ordinal)) path = line["* Chain ".Length..].Replace("<sub>H</sub>", "'").Trim();
            else if (line.StartsWith("** ext prv: ", StringComparison.Ordinal))
                yield return [vector, seed, path, line["** ext prv: ".Length..].Trim()];
        }
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Derived_key_serializes_to_the_vector_xprv(int vector, string seedHex, string path, string xprv)
    {
        _ = vector;
        byte[] seed = Convert.FromHexString(seedHex);
        using ExtendedPrivateKey key = Bip32.Derive(seed, DerivationPath.Parse(path));
        Assert.Equal(xprv, SerializeXprv(key, ParentFingerprint(seed, path)));
    }

    [Fact]
    public void All_four_vectors_with_their_chains_are_read() => Assert.Equal(5 + 6 + 3 + 3, Vectors().Count());

    [Fact]
    public void A_disposed_key_cannot_be_read()
    {
        ExtendedPrivateKey key = Bip32.CreateMaster(new byte[32]);
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.PrivateKey.ToArray());
    }

    /// <summary>The fingerprint of the key one step up <paramref name="path"/> (0 for the master key), as serialization needs it.</summary>
    private static uint ParentFingerprint(byte[] seed, string path)
    {
        if (path == "m") return 0;
        using ExtendedPrivateKey parent = Bip32.Derive(seed, DerivationPath.Parse(path[..path.LastIndexOf('/')]));
        byte[] publicKey = new byte[33];
        Secp256k1.GetPublicKey(parent.PrivateKey, publicKey);
        return Bip32.Fingerprint(publicKey);
    }

    /// <summary>BIP32 serialization: version ‖ depth ‖ parent fingerprint ‖ child ‖ chain code ‖ 0x00 ‖ key, Base58Check.</summary>
    internal static string SerializeXprv(ExtendedPrivateKey key, uint parentFingerprint)
    {
        byte[] data = new byte[78 + 4];
        BinaryPrimitives.WriteUInt32BigEndian(data, 0x0488ADE4);
        data[4] = key.Depth;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(5), parentFingerprint);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(9), key.ChildNumber);
        key.ChainCode.CopyTo(data.AsSpan(13));
        key.PrivateKey.CopyTo(data.AsSpan(46));
        SHA256.HashData(SHA256.HashData(data.AsSpan(0, 78))).AsSpan(0, 4).CopyTo(data.AsSpan(78));
        return Base58.Encode(data);
    }

    [GeneratedRegex("^===Test vector (\\d)===")]
    private static partial Regex VectorHeader();
}
