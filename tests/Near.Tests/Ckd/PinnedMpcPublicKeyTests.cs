using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Keystore.Near.Tests.Support;
using Xunit;

namespace Keystore.Near.Tests.Ckd;

/// <summary>
/// The CKD pairing check against a hostile RPC endpoint. The endpoint answers the MPC contract's <c>public_key</c> view
/// and the CKD transaction's outcome, so it can answer both under a key of its own (msk', pk' = msk'·G2): the answer is
/// consistent and passes the pairing check under pk'. Only a key fixed in advance (the pin) tells it from the MPC network's.
/// </summary>
public sealed class PinnedMpcPublicKeyTests
{
    private const string Dao = "tee-dao.near";
    private const string Path = "keystore";

    /// <summary>An RPC endpoint that reports <paramref name="reported"/> as the MPC contract's key.</summary>
    private sealed class ReportedKey(G2Point reported) : IMpcPublicKeySource
    {
        public Task<G2Point> GetPublicKeyAsync(CancellationToken cancellationToken) => Task.FromResult(reported);
    }

    private static async Task<byte[]> DeriveAsync(MpcSimulator answering, IMpcPublicKeySource key)
    {
        var client = new CkdClient(new SimulatedCkdTransport(answering, Dao, Path), key, Dao, Path);
        using CkdSecret secret = await client.DeriveSecretAsync();
        return secret.Span.ToArray();
    }

    [Fact]
    public async Task Without_a_pin_a_hostile_RPC_that_reports_its_own_key_and_answers_with_it_sets_a_master_secret_it_knows()
    {
        var attacker = MpcSimulator.CreateRandom();

        // The worker: the RPC's key and the RPC's answer, both the attacker's.
        byte[] adopted = await DeriveAsync(attacker, attacker);

        // The attacker derives the same secret on its own (its own exchange, its own msk'): the trust assumption made
        // without a pin is that the RPC endpoint does not do this.
        Assert.Equal(await DeriveAsync(attacker, attacker), adopted);
        // And it is not the secret the MPC network would have given.
        var mpc = MpcSimulator.CreateRandom();
        Assert.NotEqual(await DeriveAsync(mpc, mpc), adopted);
    }

    [Fact]
    public async Task With_a_pin_a_hostile_RPC_that_reports_its_own_key_is_refused_naming_both_keys()
    {
        var mpc = MpcSimulator.CreateRandom();
        var attacker = MpcSimulator.CreateRandom();

        var ex = await Assert.ThrowsAsync<CkdVerificationException>(() => DeriveAsync(attacker, new PinnedMpcPublicKeySource(attacker, mpc.PublicKey)));

        Assert.Contains("is not the pinned one", ex.Message);
        Assert.Contains(BlsKeyText.Encode(attacker.PublicKey), ex.Message);
        Assert.Contains(BlsKeyText.Encode(mpc.PublicKey), ex.Message);
    }

    [Fact]
    public async Task With_a_pin_a_hostile_RPC_that_reports_the_pinned_key_but_answers_with_its_own_fails_the_pairing_check()
    {
        var mpc = MpcSimulator.CreateRandom();
        var attacker = MpcSimulator.CreateRandom();

        var ex = await Assert.ThrowsAsync<CkdVerificationException>(() =>
            DeriveAsync(attacker, new PinnedMpcPublicKeySource(new ReportedKey(mpc.PublicKey), mpc.PublicKey)));

        Assert.Contains("pairing check", ex.Message);
    }

    [Fact]
    public async Task With_the_right_pin_the_MPC_networks_answer_gives_the_same_secret_as_without_one()
    {
        var mpc = MpcSimulator.CreateRandom();

        byte[] pinned = await DeriveAsync(mpc, new PinnedMpcPublicKeySource(mpc, mpc.PublicKey));

        Assert.Equal(await DeriveAsync(mpc, mpc), pinned);
        Assert.Equal(32, pinned.Length);
    }
}
