using Keystore.Problems;

namespace Keystore.State;

/// <summary>The problems the state store answers with. Details never name a row's contents.</summary>
public static class StateProblems
{
    public static readonly ProblemType Tampered = new("state-tampered", 503, "The state database holds a row this keystore did not write");
    public static readonly ProblemType Unavailable = new("state-unavailable", 503, "The state database cannot be reached right now");

    public static ProblemException TamperedRow(string detail) => new(Tampered, detail);
}
