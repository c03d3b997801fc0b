namespace Keystore.Chains.Tests;

internal static class TestSupport
{
    /// <summary>Path of a file copied from Vectors/ to the output folder.</summary>
    public static string Vector(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", name);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex);

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
