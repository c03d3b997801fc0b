using System.Buffers;

namespace Keystore.Configuration;

/// <summary>
/// The one rule for hex in settings and secret files: ASCII hex digits only (no <c>0x</c>, no separators), an even
/// count, and, when a length is asked for, exactly that many bytes.
/// </summary>
internal static class HexText
{
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<byte> Utf8Digits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    public static bool IsHex(ReadOnlySpan<char> text, int? byteLength = null) =>
        HasLength(text.Length, byteLength) && !text.ContainsAnyExcept(Digits);

    /// <summary>The same rule over UTF-8 bytes, for secrets that must never become a string.</summary>
    public static bool IsHex(ReadOnlySpan<byte> utf8, int? byteLength = null) =>
        HasLength(utf8.Length, byteLength) && !utf8.ContainsAnyExcept(Utf8Digits);

    private static bool HasLength(int characters, int? byteLength) =>
        characters % 2 == 0 && (byteLength is { } bytes ? characters == 2 * bytes : characters > 0);
}
