namespace Keystore.Policies.Documents;

/// <summary>The chains a policy rule can name; their JSON names are the sign routes' <c>{chain}</c>.</summary>
public enum PolicyChain
{
    Ethereum,
    Bitcoin,
    Solana,
}
