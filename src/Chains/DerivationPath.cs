using System.Globalization;

namespace Keystore.Chains;

/// <summary>
/// A BIP32 path such as <c>m/44'/60'/0'/0/0</c>; indices at or above 2^31 are hardened. Each chain builds its own
/// (<see cref="IChainSigner.DerivationPath"/>) and the derivation walks <see cref="Indices"/> as they are: no text
/// goes back and forth between the two. The text form is for people (API answers, exports).
/// </summary>
public sealed class DerivationPath : IEquatable<DerivationPath>
{
    public const uint HardenedOffset = 0x8000_0000;

    private readonly uint[] _indices;

    /// <param name="indices">The child numbers from the master key down, hardened ones already offset by 2^31.</param>
    public DerivationPath(params ReadOnlySpan<uint> indices) => _indices = indices.ToArray();

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

    public bool Equals(DerivationPath? other) => other is not null && _indices.AsSpan().SequenceEqual(other._indices);

    public override bool Equals(object? obj) => Equals(obj as DerivationPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_indices.AsSpan()));
        return hash.ToHashCode();
    }

    public override string ToString() =>
        "m" + string.Concat(_indices.Select(i => i >= HardenedOffset
            ? "/" + (i - HardenedOffset).ToString(CultureInfo.InvariantCulture) + "'"
            : "/" + i.ToString(CultureInfo.InvariantCulture)));
}
