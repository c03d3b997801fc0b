using Keystore.Boot;
using Keystore.Configuration;

namespace Keystore.Tests.Boot;

/// <summary>In a real TEE, what is left to the RPC endpoints' word is said at startup; pinned and cross-checked, nothing is.</summary>
public sealed class RpcTrustWarningsTests
{
    private static KeystoreOptions Dstack(string? mpcPublicKey, bool crossCheck) => new()
    {
        MasterSecret = { Source = "ckd" },
        Tee = { Provider = "dstack" },
        Auth = { OwnerKeySource = "near", OwnerKeyCrossCheck = crossCheck },
        Near = { MpcPublicKey = mpcPublicKey },
    };

    [Fact]
    public void On_dstack_an_unpinned_MPC_key_and_unchecked_owner_keys_are_each_warned_about()
    {
        IReadOnlyList<string> warnings = RpcTrustWarnings.For(Dstack(null, crossCheck: false));

        Assert.Equal(2, warnings.Count);
        Assert.Contains("Keystore:Near:MpcPublicKey is not set", warnings[0]);
        Assert.Contains("Keystore:Auth:OwnerKeyCrossCheck is off", warnings[1]);
    }

    [Fact]
    public void On_dstack_a_pinned_MPC_key_and_cross_checked_owner_keys_leave_nothing_to_warn_about()
    {
        Assert.Empty(RpcTrustWarnings.For(Dstack("bls12381g2:any", crossCheck: true)));
    }

    [Fact]
    public void Outside_a_real_TEE_nothing_is_warned_about()
    {
        KeystoreOptions simulated = Dstack(null, crossCheck: false);
        simulated.Tee.Provider = "simulator";

        Assert.Empty(RpcTrustWarnings.For(simulated));
    }
}
