namespace Keystore.Chains.Tests;

internal static class TestSupport
{
    /// <summary>Path of a file copied from Vectors/ to the output folder.</summary>
    public static string Vector(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", name);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>The error as the API's problem slug (<c>NotASigner</c> → <c>not-a-signer</c>), so tests read like the API's answers.</summary>
    public static string Slug(this ChainRequestException ex) =>
        string.Concat(ex.Error.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
