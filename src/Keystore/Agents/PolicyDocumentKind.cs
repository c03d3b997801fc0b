namespace Keystore.Agents;

/// <summary>Which policy document is being validated.</summary>
public enum PolicyDocumentKind
{
    /// <summary>An agent key's own policy.</summary>
    Agent,

    /// <summary>The account-wide rules.</summary>
    Account,
}
