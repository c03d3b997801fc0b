using Keystore.Auth;
using Keystore.Configuration;
using Keystore.MasterSecrets;

namespace Keystore.Boot;

/// <summary>
/// What a configuration in a real TEE leaves to the word of its NEAR RPC endpoints, said once at startup. Outside a TEE
/// the operator holds the secrets anyway, so trusting an endpoint there adds nothing to warn about.
/// </summary>
public static class RpcTrustWarnings
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
        return warnings;
    }
}
