namespace Keystore.Policies.Documents;

/// <summary>The JSON names of chains, operations and window periods, one place for the validator, the evaluator and the docs.</summary>
public static class PolicyNames
{
    public static string Of(PolicyChain chain) => chain switch
    {
        PolicyChain.Ethereum => "ethereum",
        PolicyChain.Bitcoin => "bitcoin",
        PolicyChain.Solana => "solana",
        _ => throw new ArgumentOutOfRangeException(nameof(chain)),
    };

    public static string Of(PolicyOperation operation) => operation switch
    {
        PolicyOperation.Transaction => "transaction",
        PolicyOperation.PersonalMessage => "personal-message",
        PolicyOperation.TypedData => "typed-data",
        PolicyOperation.Psbt => "psbt",
        PolicyOperation.OffchainMessage => "offchain-message",
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    public static bool TryParseChain(string text, out PolicyChain chain)
    {
        foreach (PolicyChain candidate in Enum.GetValues<PolicyChain>())
            if (Of(candidate) == text) { chain = candidate; return true; }
        chain = default;
        return false;
    }

    public static bool TryParseOperation(string text, out PolicyOperation operation)
    {
        foreach (PolicyOperation candidate in Enum.GetValues<PolicyOperation>())
            if (Of(candidate) == text) { operation = candidate; return true; }
        operation = default;
        return false;
    }

    /// <summary>The rolling windows a limit can name, and their length.</summary>
    public static readonly IReadOnlyList<(string Name, TimeSpan Length)> Periods =
    [
        ("hourly", TimeSpan.FromHours(1)),
        ("daily", TimeSpan.FromDays(1)),
        ("weekly", TimeSpan.FromDays(7)),
        ("monthly", TimeSpan.FromDays(30)),
    ];
}
