namespace Keystore.Policies.Schema;

/// <summary>Why a policy document was refused: the JSON path of the bad field (<c>$.rules[2].limits.daily</c>) and what is wrong with it.</summary>
public sealed record PolicyValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
