using System.Text.RegularExpressions;

namespace Keystore.Policies.Documents;

/// <summary>
/// Asset ids: <c>eth:&lt;chainId&gt;</c> (ether on an EVM chain), <c>eth:&lt;chainId&gt;:erc20:&lt;contract&gt;</c>,
/// <c>sol</c>, <c>sol:spl:&lt;mint&gt;</c> (SPL Token and Token-2022 alike), <c>btc</c>. Amounts are in the base unit.
/// </summary>
public static partial class AssetId
{
    public const string Bitcoin = "btc";
    public const string Sol = "sol";

    /// <summary>An SPL transfer that does not name its mint (plain <c>transfer</c>): its asset cannot be known offline.</summary>
    public const string UnknownSplMint = "sol:spl:unknown";

    public static string Ether(ulong chainId) => $"eth:{chainId}";

    public static string Erc20(ulong chainId, string contract) => $"eth:{chainId}:erc20:{contract.ToLowerInvariant()}";

    public static string Spl(string mint) => $"sol:spl:{mint}";

    public static bool IsValid(string asset) => Pattern().IsMatch(asset);

    /// <summary>The pattern of <c>policy.schema.json</c>'s <c>assetId</c>, without its final <c>$</c> (which .NET also matches before a final newline).</summary>
    public const string PatternText = "^(eth:(0|[1-9][0-9]{0,18})(:erc20:0x[0-9a-f]{40})?|sol(:spl:[1-9A-HJ-NP-Za-km-z]{32,44})?|btc)";

    [GeneratedRegex(PatternText + @"\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
