using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Keystore.Near.Tests.Support;
using Xunit;

namespace Keystore.Near.Tests.Ckd;

public class SecretHygieneTests
{
    [Fact]
    public void To_string_never_shows_secrets()
    {
        using var key = Ed25519KeyPair.Generate();
        var secret = key.ExportSecretKey();
        Assert.DoesNotContain(secret["ed25519:".Length..], key.ToString());
        Assert.Contains(key.PublicKey.ToString(), key.ToString());

        const string msk = "13e0c575c3ac888bf8815e0ed50166ed3560ffbe9fcf5917551d3bd56be291f8";
        var sim = MpcSimulator.FromHex(msk);
        Assert.DoesNotContain(msk, sim.ToString());
        Assert.DoesNotContain(Base58.Encode(Convert.FromHexString(msk)), sim.ToString());
    }

    [Fact]
    public async Task Verification_failure_message_carries_no_secret_material()
    {
        var sim = MpcSimulator.CreateRandom();
        var client = new CkdClient(new SimulatedCkdTransport(sim, "evil.near", "keystore"), sim, "tee-dao.near", "keystore");
        var e = await Assert.ThrowsAsync<CkdVerificationException>(() => client.DeriveSecretAsync());
        // Only a fixed explanation: no hex or base58 blobs (a 48-byte point would be ≥ 64 chars).
        Assert.DoesNotMatch("[0-9a-fA-F]{32,}|[1-9A-HJ-NP-Za-km-z]{40,}", e.Message);
    }

    [Fact]
    public void Non_canonical_secret_scalar_is_refused()
    {
        var tooBig = Scalar.R.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.Throws<ArgumentException>(() => G1Point.Generator.Multiply(tooBig));
        Assert.Throws<ArgumentException>(() => new MpcSimulator(new byte[32]));
    }
}
