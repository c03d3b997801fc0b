using Keystore.Agents;

namespace Keystore.Auth;

/// <summary>
/// Who signed a request: the account's owner (one of its full-access keys) or one of its agent keys (active, not
/// expired, not revoked), with the verified credential.
/// </summary>
public sealed record AuthenticatedCaller(NearAuthorization Credential, AgentRecord? Agent)
{
    public bool IsOwner => Agent is null;

    public string PublicKeyText => Credential.PublicKeyText;
}
