namespace Keystore.Client;

/// <summary>
/// A dry run's answer (<c>?dryRun=true</c>): what the keystore would decide for this request, without signing it.
/// <see cref="Decision"/> is <c>allow</c> or <c>deny</c>; a denial names its <see cref="Rule"/> and <see cref="Message"/>;
/// <see cref="Windows"/> shows an agent's spending windows before and after this request.
/// </summary>
public sealed record SignDecision(bool DryRun, string Caller, string Decision, string? Rule, string? Message, IReadOnlyList<SpendingWindow> Windows)
{
    public bool Allowed => Decision == "allow";
}
