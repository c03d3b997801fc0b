namespace Keystore.OpenApi;

/// <summary>Whether a route takes the owner's NEP-413 <c>Authorization: NEAR …</c> header.</summary>
public enum RouteAuth
{
    None,

    /// <summary>Anyone may call; the owner's header changes what happens (a key GET that publishes the binding).</summary>
    Optional,

    Required,
}
