using Keystore.Boot;
using Keystore.Configuration;

namespace Keystore.Tests.Boot;

/// <summary>In a real TEE, what is left to the RPC endpoints' word and a shared service name are said at startup; pinned,
/// cross-checked and named, nothing is.</summary>
public sealed class DeploymentTrustWarningsTests
{
    private static KeystoreOptions Dstack(string? mpcPublicKey, bool crossCheck, string serviceName = "keystore.example.com") => new()
    {
        ServiceName = serviceName,
        MasterSecret = { Source = "ckd" },
        Tee = { Provider = "dstack" },
        Auth = { OwnerKeySource = "near", OwnerKeyCrossCheck = crossCheck },
        Near = { MpcPublicKey = mpcPublicKey },
    };

    [Fact]
    public void On_dstack_an_unpinned_MPC_key_and_unchecked_owner_keys_are_each_warned_about()
    {
        IReadOnlyList<string> warnings = DeploymentTrustWarnings.For(Dstack(null, crossCheck: false));

        Assert.Equal(2, warnings.Count);
        Assert.Contains("Keystore:Near:MpcPublicKey is not set", warnings[0]);
        Assert.Contains("Keystore:Auth:OwnerKeyCrossCheck is off", warnings[1]);
    }

    [Fact]
    public void On_dstack_the_default_service_name_is_warned_about_since_other_deployments_accept_the_same_credentials()
    {
        IReadOnlyList<string> warnings = DeploymentTrustWarnings.For(Dstack("bls12381g2:any", crossCheck: true, serviceName: KeystoreOptions.DefaultServiceName));

        string warning = Assert.Single(warnings);
        Assert.Contains("Keystore:ServiceName is the default (near-tee-keystore)", warning);
    }

    [Fact]
    public void On_dstack_a_pinned_MPC_key_and_cross_checked_owner_keys_leave_nothing_to_warn_about()
    {
        Assert.Empty(DeploymentTrustWarnings.For(Dstack("bls12381g2:any", crossCheck: true)));
    }

    [Fact]
    public void Outside_a_real_TEE_nothing_is_warned_about()
    {
        KeystoreOptions simulated = Dstack(null, crossCheck: false);
        simulated.Tee.Provider = "simulator";

        Assert.Empty(DeploymentTrustWarnings.For(simulated));
    }
}
