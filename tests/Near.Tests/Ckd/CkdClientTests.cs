using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Keystore.Near.Tests.Support;
using Xunit;

namespace Keystore.Near.Tests.Ckd;

public class CkdClientTests
{
    private const string Msk = "13e0c575c3ac888bf8815e0ed50166ed3560ffbe9fcf5917551d3bd56be291f8";

    private static CkdClient Client(MpcSimulator sim, string predecessor, string path, CkdKdfOptions? kdf = null) =>
        new(new SimulatedCkdTransport(sim, predecessor, path), sim, predecessor, path, kdf);

    /// <summary>The derived secret's bytes (a copy: the tests compare values), the owner disposed.</summary>
    private static async Task<byte[]> DeriveAsync(CkdClient client)
    {
        using CkdSecret secret = await client.DeriveSecretAsync();
        return secret.Span.ToArray();
    }

    [Fact]
    public async Task Same_secret_across_runs_different_for_other_account_or_path()
    {
        var sim = MpcSimulator.FromHex(Msk);
        var first = await DeriveAsync(Client(sim, "tee-dao.near", "keystore"));
        var second = await DeriveAsync(Client(sim, "tee-dao.near", "keystore"));
        Assert.Equal(32, first.Length);
        Assert.Equal(first, second); // different a and y each run, same secret
        Assert.NotEqual(first, await DeriveAsync(Client(sim, "other-dao.near", "keystore")));
        Assert.NotEqual(first, await DeriveAsync(Client(sim, "tee-dao.near", "keystore2")));
        Assert.NotEqual(first, await DeriveAsync(Client(MpcSimulator.CreateRandom(), "tee-dao.near", "keystore")));
    }

    [Fact]
    public async Task Strong_key_convention_is_hkdf_with_salt_and_info()
    {
        var sim = MpcSimulator.FromHex(Msk);
        var appId = CkdAppId.Derive("tee-dao.near", "keystore");
        var sig = CkdCrypto.HashPoint(sim.PublicKey, appId).Multiply(Convert.FromHexString(Msk));
        var expected = System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256,
            sig.ToCompressed(), 32, "near-mpc-ckd-hkdf-v1"u8.ToArray(), "near-mpc-ckd-strong-key-v1"u8.ToArray());
        Assert.Equal(expected, await DeriveAsync(Client(sim, "tee-dao.near", "keystore")));
        // The vectors' convention (no salt, empty info), computed with .NET's HKDF rather than CkdCrypto.
        var vectorConvention = System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256,
            sig.ToCompressed(), 32, [], []);
        Assert.Equal(vectorConvention, await DeriveAsync(Client(sim, "tee-dao.near", "keystore", CkdVectorKdf.Options)));
        Assert.NotEqual(expected, vectorConvention);
    }

    [Fact]
    public void Vector_convention_is_plain_hkdf_of_the_compressed_signature()
    {
        // Grounds the expected value above in near/mpc's vectors: s = HKDF-SHA256(sig, no salt, empty info), by .NET's HKDF.
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("ckd_test_vectors.json")));
        foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
            Assert.Equal(v.GetProperty("s").GetString(), Convert.ToHexStringLower(System.Security.Cryptography.HKDF.DeriveKey(
                System.Security.Cryptography.HashAlgorithmName.SHA256, Convert.FromHexString(v.GetProperty("sig").GetString()!), 32, [], [])));
    }

    private sealed class TamperingTransport(ICkdTransport inner, Func<CkdResponse, CkdResponse> tamper) : ICkdTransport
    {
        public async Task<CkdResponse> RequestAsync(G1Point appPublicKey, CancellationToken ct) => tamper(await inner.RequestAsync(appPublicKey, ct));
    }

    [Fact]
    public async Task Tampered_big_c_fails_the_pairing_check_loudly()
    {
        var sim = MpcSimulator.FromHex(Msk);
        var transport = new TamperingTransport(new SimulatedCkdTransport(sim, "tee-dao.near", "keystore"), r => r with { BigC = r.BigC + G1Point.Generator });
        var client = new CkdClient(transport, sim, "tee-dao.near", "keystore");
        var e = await Assert.ThrowsAsync<CkdVerificationException>(() => client.DeriveSecretAsync());
        Assert.Contains("pairing check", e.Message);
    }

    [Fact]
    public async Task Response_for_another_predecessor_is_rejected()
    {
        var sim = MpcSimulator.FromHex(Msk);
        // The network answered for a different account than the one the client derives the app id for.
        var client = new CkdClient(new SimulatedCkdTransport(sim, "attacker.near", "keystore"), sim, "tee-dao.near", "keystore");
        await Assert.ThrowsAsync<CkdVerificationException>(() => client.DeriveSecretAsync());
    }

    [Fact]
    public async Task Wrong_mpc_public_key_is_rejected()
    {
        var sim = MpcSimulator.FromHex(Msk);
        var other = MpcSimulator.CreateRandom();
        var client = new CkdClient(new SimulatedCkdTransport(sim, "tee-dao.near", "keystore"), other, "tee-dao.near", "keystore");
        await Assert.ThrowsAsync<CkdVerificationException>(() => client.DeriveSecretAsync());
    }

    [Fact]
    public async Task Identity_points_in_response_are_rejected()
    {
        var sim = MpcSimulator.FromHex(Msk);
        var transport = new TamperingTransport(new SimulatedCkdTransport(sim, "tee-dao.near", "keystore"), r => r with { BigY = G1Point.Identity });
        await Assert.ThrowsAsync<CkdVerificationException>(() => new CkdClient(transport, sim, "tee-dao.near", "keystore").DeriveSecretAsync());
    }

    [Fact]
    public void Wire_formats_match_near_mpc()
    {
        var a = G1Point.Generator.Multiply(Scalar.FromBigInteger(12345));
        var json = CkdRequest.ToJson(a, "keystore");
        Assert.Equal("{\"request\":{\"derivation_path\":\"keystore\",\"app_public_key\":\"" + BlsKeyText.Encode(a) + "\",\"domain_id\":2}}", json);
        Assert.StartsWith("bls12381g1:", BlsKeyText.Encode(a));
        Assert.Equal(a, BlsKeyText.ParseG1(BlsKeyText.Encode(a)));
        var pk = MpcSimulator.FromHex(Msk).PublicKey;
        Assert.Equal(pk, BlsKeyText.ParseG2(BlsKeyText.Encode(pk)));
        Assert.Throws<FormatException>(() => BlsKeyText.ParseG1(BlsKeyText.Encode(pk)));
        var resp = new CkdResponse(a, a + a);
        Assert.Equal(resp, CkdResponse.FromJson(resp.ToJson()));
        Assert.Equal("{\"domain_id\":2}", CkdRequest.PublicKeyViewArgs());
    }

    [Fact]
    public void Example_cli_readme_keys_parse()
    {
        // Public values printed in near/mpc crates/ckd-example-cli/README.md.
        var pk = BlsKeyText.ParseG2("bls12381g2:25sFv4K1oJxLxY3t1s6oPWXUx9nEq6a5LjDg8Gajp5NjaHoTq5Dm3CNXmmbnGHsWHjLQ1RRvZ3z8By6TMU8TWexXjwDvqefnpCMTPAEiFiCZ2cDZypBRoskefLrLeFq35Mx5");
        Assert.True(pk.IsInSubgroup);
        Assert.True(BlsKeyText.ParseG1("bls12381g1:67UMHEnqJCvuBv44ecVtcoE7ES2vNvAnvh72DhEkvChw1cjQ7L4Ybt8KJdHqSdXoNz").IsInSubgroup);
    }
}
