using System.Collections.Concurrent;
using System.Text;

namespace Keystore.Policies.Schema;

/// <summary>
/// Policy documents already validated, by their exact text, so a sign request does not parse and re-validate the
/// agent's (and the account's) JSON each time. Validation is a pure function of the text, so a hit can never be stale:
/// an owner's update or a revocation changes what the store hands the gate, which is then looked up (or validated)
/// afresh, on every instance. Bounded: when full, it starts over.
/// </summary>
public sealed class ValidatedPolicyCache
{
    /// <summary>Documents kept per kind (each at most <see cref="PolicyDocumentValidator.MaxDocumentBytes"/>).</summary>
    public const int Capacity = 256;

    private readonly ConcurrentDictionary<string, PolicyValidation> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PolicyValidation> _accounts = new(StringComparer.Ordinal);

    public int Count => _agents.Count + _accounts.Count;

    public PolicyValidation Agent(string document) => Get(_agents, document, static d => PolicyDocumentValidator.ValidateAgent(Encoding.UTF8.GetBytes(d)));

    public PolicyValidation Account(string document) => Get(_accounts, document, static d => PolicyDocumentValidator.ValidateAccount(Encoding.UTF8.GetBytes(d)));

    private static PolicyValidation Get(ConcurrentDictionary<string, PolicyValidation> cache, string document, Func<string, PolicyValidation> validate)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (cache.TryGetValue(document, out PolicyValidation? known))
            return known;
        PolicyValidation validation = validate(document);
        if (cache.Count >= Capacity)
            cache.Clear();
        cache[document] = validation;
        return validation;
    }
}
