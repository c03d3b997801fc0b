using System.Collections.Concurrent;
using System.Text;

namespace Keystore.Policies.Schema;

/// <summary>
/// Policy documents already validated, by their exact text, so a sign request does not parse and re-validate the
/// agent's (and the account's) JSON each time. Validation is a pure function of the text, so a hit can never be stale:
/// an owner's update or a revocation changes what the store hands the gate, which is then looked up (or validated)
/// afresh, on every instance.
/// </summary>
/// <remarks>
/// Bounded by the text it holds, not by a count: a fleet's thousands of agents with policies of a kilobyte or two all
/// stay validated, while the same budget holds only a few dozen documents at the 64 KiB maximum. When the next document
/// would pass the budget the kind starts over (a miss costs one validation, never a wrong answer).
/// </remarks>
public sealed class ValidatedPolicyCache
{
    /// <summary>Characters of document text kept per kind (agent, account): 8 MiB of strings, each document once.</summary>
    public const long BudgetChars = 4L * 1024 * 1024;

    private readonly Kind _agents = new();
    private readonly Kind _accounts = new();

    public int Count => _agents.Documents.Count + _accounts.Documents.Count;

    public PolicyValidation Agent(string document) => Get(_agents, document, static d => PolicyDocumentValidator.ValidateAgent(Encoding.UTF8.GetBytes(d)));

    public PolicyValidation Account(string document) => Get(_accounts, document, static d => PolicyDocumentValidator.ValidateAccount(Encoding.UTF8.GetBytes(d)));

    private static PolicyValidation Get(Kind kind, string document, Func<string, PolicyValidation> validate)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (kind.Documents.TryGetValue(document, out PolicyValidation? known))
            return known;
        PolicyValidation validation = validate(document);
        lock (kind)
        {
            if (kind.Chars + document.Length > BudgetChars)
            {
                kind.Documents.Clear();
                kind.Chars = 0;
            }
            if (kind.Documents.TryAdd(document, validation))
                kind.Chars += document.Length;
        }
        return validation;
    }

    private sealed class Kind
    {
        public ConcurrentDictionary<string, PolicyValidation> Documents { get; } = new(StringComparer.Ordinal);

        /// <summary>The text held, under the kind's lock (a miss is rare; hits take no lock).</summary>
        public long Chars { get; set; }
    }
}
