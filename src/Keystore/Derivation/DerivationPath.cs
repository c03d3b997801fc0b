using System.Globalization;

namespace Keystore.Derivation;

/// <summary>A BIP32 path such as <c>m/44'/60'/0'/0/0</c>; indices at or above 2^31 are hardened.</summary>
public sealed class DerivationPath
{
    public const uint HardenedOffset = 0x8000_0000;

    private readonly uint[] _indices;

    private DerivationPath(uint[] indices) => _indices = indices;

    public ReadOnlySpan<uint> Indices => _indices;

    public static DerivationPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] parts = path.Split('/');
        if (parts[0] != "m")
            throw new FormatException($"A derivation path starts with 'm': '{path}'.");
        var indices = new uint[parts.Length - 1];
        for (int i = 1; i < parts.Length; i++)
        {
            string part = parts[i];
            bool hardened = part.EndsWith('\'') || part.EndsWith('h') || part.EndsWith('H');
            string digits = hardened ? part[..^1] : part;
            if (digits.Length == 0 || digits.Length > 10 || !digits.All(char.IsAsciiDigit)
                || !uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out uint index)
                || index >= HardenedOffset)
                throw new FormatException($"Invalid derivation path segment '{part}' in '{path}'.");
            indices[i - 1] = hardened ? index | HardenedOffset : index;
        }
        return new DerivationPath(indices);
    }

    public override string ToString() =>
        "m" + string.Concat(_indices.Select(i => i >= HardenedOffset
            ? "/" + (i - HardenedOffset).ToString(CultureInfo.InvariantCulture) + "'"
            : "/" + i.ToString(CultureInfo.InvariantCulture)));
}
