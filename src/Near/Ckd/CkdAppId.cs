using Org.BouncyCastle.Crypto.Digests;

namespace Keystore.Near.Ckd;

/// <summary>
/// near/mpc app id: SHA3-256("near-mpc v0.1.0 app_id derivation:" ‖ predecessor ‖ "," ‖ derivation_path).
/// The ',' ends the account id (nearcore's ACCOUNT_DATA_SEPARATOR) so (account, path) pairs cannot collide.
/// </summary>
public static class CkdAppId
{
    public const string Prefix = "near-mpc v0.1.0 app_id derivation:";

    public static byte[] Derive(string predecessorAccountId, string derivationPath)
    {
        var input = System.Text.Encoding.UTF8.GetBytes(Prefix + predecessorAccountId + "," + derivationPath);
        var digest = new Sha3Digest(256);
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }
}
