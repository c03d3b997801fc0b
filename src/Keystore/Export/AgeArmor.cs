using System.Text;

namespace Keystore.Export;

/// <summary>
/// age's ASCII armor: strict PEM (RFC 7468) with the label <c>AGE ENCRYPTED FILE</c>, padded base64 in
/// 64-column lines, so an export travels as a JSON string and <c>age --decrypt</c> reads it as it is.
/// </summary>
public static class AgeArmor
{
    public const string Begin = "-----BEGIN AGE ENCRYPTED FILE-----";
    public const string End = "-----END AGE ENCRYPTED FILE-----";

    private const int LineLength = 64;

    public static string Armor(ReadOnlySpan<byte> file)
    {
        string base64 = Convert.ToBase64String(file);
        var text = new StringBuilder(base64.Length + base64.Length / LineLength + Begin.Length + End.Length + 4);
        text.Append(Begin).Append('\n');
        for (int i = 0; i < base64.Length; i += LineLength)
            text.Append(base64, i, Math.Min(LineLength, base64.Length - i)).Append('\n');
        text.Append(End).Append('\n');
        return text.ToString();
    }
}
