using System.Reflection;
using Keystore.Problems;

namespace Keystore.OpenApi;

/// <summary>
/// Every stable problem <c>type</c> the API can answer with: every public static <see cref="ProblemType"/> of the keystore
/// (<see cref="ProblemTypes"/> and each feature's own: agents, state, export, audit; read by reflection, so a type added
/// anywhere is documented without touching this file), the chains' among them (<c>Api.ChainRequests.ChainProblems</c>).
/// </summary>
public static class ProblemCatalog
{

    public static IReadOnlyList<ProblemType> All { get; } = Collect();

    private static ProblemType[] Collect()
    {
        IEnumerable<ProblemType> declared = typeof(ProblemTypes).Assembly.GetTypes()
            .OrderBy(t => t != typeof(ProblemTypes)).ThenBy(t => t.FullName, StringComparer.Ordinal)
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(ProblemType))
            .Select(f => (ProblemType)f.GetValue(null)!);
        return declared
            .DistinctBy(p => p.Slug)
            .ToArray();
    }

    /// <summary>The problem types a given status can carry.</summary>
    public static IEnumerable<ProblemType> WithStatus(int status) => All.Where(p => p.Status == status);

    /// <summary>A markdown table of every type, for the document's description.</summary>
    public static string MarkdownTable()
    {
        var lines = new List<string> { "| type | status | title |", "|---|---|---|" };
        lines.AddRange(All.OrderBy(p => p.Status).ThenBy(p => p.Slug).Select(p => $"| `{p.Uri}` | {p.Status} | {p.Title} |"));
        return string.Join('\n', lines);
    }
}
