using static Keystore.Chains.Tests.TestSupport;

namespace Keystore.Chains.Tests;

public class Secp256k1Tests
{
    private static readonly byte[] One = Hex("0000000000000000000000000000000000000000000000000000000000000001");
    private static readonly byte[] N = Hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
    private static readonly byte[] NMinus1 = Hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140");
    // The generator G (SEC 2, section 2.4.1).
    private const string G = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    private const string GUncompressed = "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";

    [Fact]
    public void Private_key_range()
    {
        Assert.True(Secp256k1.IsValidPrivateKey(One));
        Assert.True(Secp256k1.IsValidPrivateKey(NMinus1));
        Assert.False(Secp256k1.IsValidPrivateKey(new byte[32]));
        Assert.False(Secp256k1.IsValidPrivateKey(N));
        Assert.False(Secp256k1.IsValidPrivateKey(new byte[31]));
    }

    [Fact]
    public void Public_key_of_one_is_the_generator()
    {
        var pub = new byte[33];
        Secp256k1.GetPublicKey(One, pub);
        Assert.Equal(G, ToHex(pub));
        var full = new byte[65];
        Assert.True(Secp256k1.TryDecompress(pub, full));
        Assert.Equal(GUncompressed, ToHex(full));
        var back = new byte[33];
        Assert.True(Secp256k1.TryCompress(full, back));
        Assert.Equal(G, ToHex(back));
    }

    [Fact]
    public void Get_public_key_rejects_invalid_keys_without_echoing_them()
    {
        var ex = Assert.Throws<ArgumentException>(() => Secp256k1.GetPublicKey(N, new byte[33]));
        Assert.DoesNotContain("FFFFFFFF", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<ArgumentException>(() => Secp256k1.GetPublicKey(new byte[32], new byte[33]));
    }

    [Fact]
    public void Private_tweak_adds_mod_n()
    {
        var sk = (byte[])NMinus1.Clone();
        // (n-1) + 2 = 1 mod n
        var two = Hex("0000000000000000000000000000000000000000000000000000000000000002");
        Assert.True(Secp256k1.TryAddPrivateKeyTweak(sk, two));
        Assert.Equal(One, sk);

        // (n-1) + 1 = 0: BIP32 says skip; key unchanged.
        sk = (byte[])NMinus1.Clone();
        Assert.False(Secp256k1.TryAddPrivateKeyTweak(sk, One));
        Assert.Equal(NMinus1, sk);

        // tweak ≥ n
        sk = (byte[])One.Clone();
        Assert.False(Secp256k1.TryAddPrivateKeyTweak(sk, N));
        Assert.Equal(One, sk);
    }

    [Fact]
    public void Public_tweak_matches_private_tweak()
    {
        var sk = Hex("B7E151628AED2A6ABF7158809CF4F3C762E7160F38B4DA56A784D9045190CFEF");
        var tweak = Hex("C90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B14E5C9");
        var pub = new byte[33];
        Secp256k1.GetPublicKey(sk, pub);
        Assert.True(Secp256k1.TryAddPublicKeyTweak(pub, tweak));
        Assert.True(Secp256k1.TryAddPrivateKeyTweak(sk, tweak));
        var expected = new byte[33];
        Secp256k1.GetPublicKey(sk, expected);
        Assert.Equal(expected, pub);
    }

    [Fact]
    public void Decompress_rejects_points_off_the_curve()
    {
        // x = 5 is not the x of any point on y² = x³ + 7 (BIP340 vector 5 uses it as an invalid key).
        var bad = Hex("02EEFDEA4CDB677750A420FEE807EACF21EB9898AE79B9768766E4FAA04A2D4A34");
        Assert.False(Secp256k1.TryDecompress(bad, new byte[65]));
        Assert.False(Secp256k1.IsValidPublicKey(bad));
    }

    [Fact]
    public void Ecdsa_sign_recover_verify()
    {
        var sk = Hex("4646464646464646464646464646464646464646464646464646464646464646");
        var hash = Hex("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
        var sig = new byte[64];
        int recId = Secp256k1.SignRecoverable(sk, hash, sig);
        // EIP-155 example: r, s of the signed transaction (v = 37 → recovery id 0).
        Assert.Equal("28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276" +
                     "67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83", ToHex(sig));
        Assert.Equal(0, recId);

        var pub = new byte[33];
        Secp256k1.GetPublicKey(sk, pub);
        var recovered = new byte[33];
        Assert.True(Secp256k1.TryRecover(hash, sig, recId, recovered));
        Assert.Equal(pub, recovered);
        Assert.True(Secp256k1.VerifyEcdsa(pub, hash, sig));
        hash[0] ^= 1;
        Assert.False(Secp256k1.VerifyEcdsa(pub, hash, sig));
    }

    public static TheoryData<int> Bip340Indices() => [.. Enumerable.Range(0, Bip340Vectors().Count)];

    private static List<string[]> Bip340Vectors() =>
        File.ReadAllLines(Vector("bip340-test-vectors.csv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();

    /// <summary>BIP340 test vectors (bitcoin/bips bip-0340/test-vectors.csv): sign where a secret key is given, verify every row.</summary>
    [Theory]
    [MemberData(nameof(Bip340Indices))]
    public void Bip340_vector(int index)
    {
        var row = Bip340Vectors()[index];
        var (secret, pub, aux, msg, sig, result) = (row[1], Hex(row[2]), row[3], Hex(row[4]), Hex(row[5]), row[6] == "TRUE");
        if (secret.Length > 0)
        {
            var sk = Hex(secret);
            var x = new byte[32];
            Secp256k1.GetXOnlyPublicKey(sk, x, out _);
            Assert.Equal(pub, x);
            var produced = new byte[64];
            Secp256k1.SignSchnorr(sk, msg, Hex(aux), produced);
            Assert.Equal(sig, produced);
            // The CSPRNG overload yields a different but valid signature.
            var randomized = new byte[64];
            Secp256k1.SignSchnorr(sk, msg, randomized);
            Assert.True(Secp256k1.VerifySchnorr(pub, msg, randomized));
        }
        Assert.Equal(result, Secp256k1.VerifySchnorr(pub, msg, sig));
    }
}
