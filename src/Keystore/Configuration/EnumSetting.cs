namespace Keystore.Configuration;

/// <summary>
/// Settings that name one value of an enum, spelt as its lowercase member name (<c>regtest</c>, <c>near</c>). The enum
/// is the only list: the validator checks with it and the composition reads the parsed value, never the text again.
/// </summary>
internal static class EnumSetting
{
    public static string[] Names<TEnum>() where TEnum : struct, Enum =>
        Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>Exactly a lowercase member name: no numbers, no other casing, no flag lists.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        return text is not null && Names<TEnum>().Contains(text, StringComparer.Ordinal) && Enum.TryParse(text, ignoreCase: true, out value);
    }

    /// <summary>For a value the options validator has accepted.</summary>
    public static TEnum Parse<TEnum>(string text, string setting) where TEnum : struct, Enum =>
        TryParse(text, out TEnum value) ? value : throw new InvalidOperationException($"{setting} must be {Choices<TEnum>()}.");

    /// <summary>"'a' or 'b'" for two values, "one of a, b, c" for more: how error messages list them.</summary>
    public static string Choices<TEnum>() where TEnum : struct, Enum
    {
        string[] names = Names<TEnum>();
        return names.Length == 2 ? $"'{names[0]}' or '{names[1]}'" : $"one of {string.Join(", ", names)}";
    }
}
