using System.Numerics;
using System.Security.Cryptography;
using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Keystore.Near.Tests.Support;
using Xunit;

namespace Keystore.Near.Tests.Ckd;

/// <summary>
/// The CKD path keeps its secrets where they can be wiped, and wipes them: the derived secret in a pinned owner,
/// the ephemeral scalar, the mask a·Y, the decrypted signature and its encoding zeroed when the exchange ends.
/// </summary>
public class SecretWipingTests
{
    private const string Msk = "13e0c575c3ac888bf8815e0ed50166ed3560ffbe9fcf5917551d3bd56be291f8";
    private static readonly MpcSimulator Sim = MpcSimulator.FromHex(Msk);

    /// <summary>compressed(msk·H(pk, app_id)) and its HKDF, computed from msk, not by the code under test's decryption.</summary>
    private static (byte[] Signature, byte[] Secret) Expected(string predecessor, string path)
    {
        var sig = CkdCrypto.HashPoint(Sim.PublicKey, CkdAppId.Derive(predecessor, path)).Multiply(Convert.FromHexString(Msk)).ToCompressed();
        var secret = HKDF.DeriveKey(HashAlgorithmName.SHA256, sig, 32, "near-mpc-ckd-hkdf-v1"u8.ToArray(), "near-mpc-ckd-strong-key-v1"u8.ToArray());
        return (sig, secret);
    }

    private static bool AllZero(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)0) < 0;

    private static bool Wiped(G1Point point) => point.P.X.IsZero && point.P.Y.IsZero && point.P.Z.IsZero;

    [Fact]
    public async Task The_client_returns_the_secret_in_an_owner_that_Dispose_zeroes()
    {
        var client = new CkdClient(new SimulatedCkdTransport(Sim, "tee-dao.near", "keystore"), Sim, "tee-dao.near", "keystore");
        CkdSecret secret = await client.DeriveSecretAsync();
        Assert.True(HoldsThenZeroes(secret, Expected("tee-dao.near", "keystore").Secret));
        Assert.Throws<ObjectDisposedException>(() => secret.Span.Length);
        Assert.Equal("CkdSecret(32 bytes, [redacted])", secret.ToString());
    }

    // A span of the owner's own buffer, taken before Dispose: it shows the very bytes Dispose must zero.
    private static bool HoldsThenZeroes(CkdSecret secret, byte[] expected)
    {
        ReadOnlySpan<byte> buffer = secret.Span;
        Assert.Equal(expected, buffer.ToArray());
        secret.Dispose();
        return AllZero(buffer);
    }

    [Fact]
    public void An_exchange_wipes_the_ephemeral_scalar_the_mask_the_signature_and_its_encoding()
    {
        var (expectedSignature, expectedSecret) = Expected("tee-dao.near", "keystore");
        var exchange = new CkdExchange();
        Assert.False(AllZero(exchange.EphemeralScalar));
        Assert.Equal(exchange.AppPublicKey, G1Point.Generator.Multiply(exchange.EphemeralScalar));
        CkdResponse response = Sim.RequestAppPrivateKey("tee-dao.near", "keystore", exchange.AppPublicKey);

        using CkdSecret secret = exchange.Open(response, Sim.PublicKey, CkdAppId.Derive("tee-dao.near", "keystore"), CkdKdfOptions.StrongKeyV1);
        Assert.Equal(expectedSecret, secret.Span.ToArray());
        Assert.Equal(expectedSignature, exchange.CompressedSignature.ToArray());
        Assert.Equal(expectedSignature, exchange.Signature!.ToCompressed());
        Assert.Equal(response.BigC - exchange.Signature, exchange.Mask);

        exchange.Dispose();
        Assert.True(AllZero(exchange.EphemeralScalar));
        Assert.True(AllZero(exchange.CompressedSignature));
        Assert.True(Wiped(exchange.Mask!));
        Assert.True(Wiped(exchange.Signature));
        // The secret handed out is its own buffer: still whole until its owner disposes it.
        Assert.Equal(expectedSecret, secret.Span.ToArray());
    }

    [Fact]
    public void An_exchange_that_fails_the_pairing_check_is_wiped_too()
    {
        var exchange = new CkdExchange();
        CkdResponse response = Sim.RequestAppPrivateKey("attacker.near", "keystore", exchange.AppPublicKey);
        Assert.Throws<CkdVerificationException>(() =>
            exchange.Open(response, Sim.PublicKey, CkdAppId.Derive("tee-dao.near", "keystore"), CkdKdfOptions.StrongKeyV1));
        Assert.False(Wiped(exchange.Signature!));
        exchange.Dispose();
        Assert.True(AllZero(exchange.EphemeralScalar));
        Assert.True(Wiped(exchange.Mask!));
        Assert.True(Wiped(exchange.Signature!));
    }

    [Fact]
    public void A_wiped_point_reads_as_the_identity_and_shared_points_are_untouched()
    {
        var point = G1Point.Generator.Multiply(Scalar.FromBigInteger(987654321));
        var copy = G1Point.FromCompressed(point.ToCompressed());
        point.Wipe();
        Assert.True(Wiped(point));
        Assert.True(point.IsIdentity);
        Assert.False(copy.IsIdentity);
        Assert.Equal(G1Point.Generator.Multiply(Scalar.FromBigInteger(987654321)), copy);
    }

    [Fact]
    public void WriteCompressed_into_a_caller_buffer_matches_ToCompressed()
    {
        Span<byte> buffer = stackalloc byte[G1Point.CompressedLength];
        foreach (var point in new[] { G1Point.Identity, G1Point.Generator, -G1Point.Generator, G1Point.Generator.Multiply(Scalar.Random()) })
        {
            buffer.Fill(0xaa);
            point.WriteCompressed(buffer);
            Assert.Equal(point.ToCompressed(), buffer.ToArray());
        }
    }

    public static TheoryData<string> ScalarEdges() => new()
    {
        "0", "1", "r-1", "r", "r+1", "2^255", "2^256-1", "(r-1)/2",
    };

    private static BigInteger Edge(string name) => name switch
    {
        "0" => 0,
        "1" => 1,
        "r-1" => Scalar.R - 1,
        "r" => Scalar.R,
        "r+1" => Scalar.R + 1,
        "2^255" => BigInteger.One << 255,
        "2^256-1" => (BigInteger.One << 256) - 1,
        "(r-1)/2" => (Scalar.R - 1) / 2,
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(ScalarEdges))]
    public void Scalar_range_checks_without_BigInteger_agree_with_BigInteger(string edge)
    {
        BigInteger v = Edge(edge);
        var bytes = new byte[32];
        v.TryWriteBytes(bytes.AsSpan(32 - v.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        Assert.Equal(v < Scalar.R, Scalar.IsCanonical(bytes));
        Assert.Equal(v > 0 && v < Scalar.R, Scalar.IsCanonicalNonZero(bytes));
    }

    [Fact]
    public void Scalar_range_checks_agree_with_BigInteger_on_random_values_near_r()
    {
        for (int i = 0; i < 2000; i++)
        {
            byte[] bytes = RandomNumberGenerator.GetBytes(32);
            if (i % 2 == 0) Scalar.R.TryWriteBytes(bytes.AsSpan(0, 16), out _, isUnsigned: true, isBigEndian: true); // share r's top half
            var v = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            Assert.Equal(v < Scalar.R, Scalar.IsCanonical(bytes));
        }
        Span<byte> filled = stackalloc byte[32];
        for (int i = 0; i < 200; i++)
        {
            Scalar.FillRandom(filled);
            Assert.True(Scalar.IsCanonicalNonZero(filled));
        }
    }

    [Fact]
    public void The_sign_flag_computed_on_limbs_agrees_with_BigInteger()
    {
        BigInteger half = (Fp.P - 1) / 2;
        var values = new List<BigInteger> { 0, 1, half - 1, half, half + 1, Fp.P - 1 };
        for (int i = 0; i < 500; i++) values.Add(new BigInteger(RandomNumberGenerator.GetBytes(48), isUnsigned: true) % Fp.P);
        foreach (BigInteger v in values)
            Assert.Equal(v > half, new Fp(v).IsLexicographicallyLargest);
    }
}
