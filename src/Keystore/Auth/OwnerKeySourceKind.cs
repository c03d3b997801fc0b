namespace Keystore.Auth;

/// <summary>Where an account's owner keys come from (<c>Keystore:Auth:OwnerKeySource</c>).</summary>
public enum OwnerKeySourceKind
{
    /// <summary><c>Keystore:Owners</c>, offline.</summary>
    Config,

    /// <summary>The account's full-access keys on NEAR.</summary>
    Near,
}
