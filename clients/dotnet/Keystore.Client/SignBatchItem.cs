using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>
/// One item of a sign batch, in request order: either its <see cref="Result"/> (what the single sign route answers) or its
/// <see cref="Problem"/> (what the single route would have refused it with; nothing was signed for it).
/// </summary>
public sealed record SignBatchItem(JsonObject? Result, KeystoreProblemException? Problem)
{
    public bool Signed => Result is not null;
}
