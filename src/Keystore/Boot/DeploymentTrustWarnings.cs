using Keystore.Auth;
using Keystore.Configuration;
using Keystore.MasterSecrets;

namespace Keystore.Boot;

/// <summary>
/// What a configuration in a real TEE leaves open, said once at startup: what it leaves to the word of its NEAR RPC
/// endpoints, and a service name other deployments may share. Outside a TEE the operator holds the secrets anyway, so
/// there is nothing to warn about.
/// </summary>
public static class DeploymentTrustWarnings
{
    public static IReadOnlyList<string> For(KeystoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Tee.Provider != Tee.DstackTeeBackend.BackendName) return [];
        var warnings = new List<string>();
        if (options.MasterSecret.Source == CkdMasterSecretSource.SourceName && options.Near.MpcPublicKey is null)
            warnings.Add("Keystore:Near:MpcPublicKey is not set: the CKD answer is checked against the MPC public key the RPC endpoint reports, "
                + "so an endpoint that lies about both can choose this keystore's master secret. Pin the key in the measured compose (dstack/README.md, section 2).");
        if (EnumSetting.TryParse(options.Auth.OwnerKeySource, out OwnerKeySourceKind owners) && owners == OwnerKeySourceKind.Near && !options.Auth.OwnerKeyCrossCheck)
            warnings.Add("Keystore:Auth:OwnerKeyCrossCheck is off: an account's owners are whoever the answering RPC endpoint lists as its full-access keys, "
                + "so one hostile endpoint can make anyone an owner (README, Security model).");
        // The name is the NEP-413 recipient every credential signs: shared by two deployments, a request an owner signed for
        // one (seen by its operator, say) is valid at the other within its timestamp window.
        if (options.ServiceName == KeystoreOptions.DefaultServiceName)
            warnings.Add($"Keystore:ServiceName is the default ({KeystoreOptions.DefaultServiceName}): a request signed for any other keystore deployment left at the default "
                + "is valid here too. Give this deployment its own name (e.g. its public host name) and set it as the clients' recipient (README, Authenticating a sign request).");
        return warnings;
    }
}
