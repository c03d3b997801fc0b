namespace Keystore.Chains.Bitcoin;

/// <summary>
/// One PSBT map (global, per input or per output): entries in their original order, keys unique.
/// Unknown entries are kept so a signed PSBT round-trips everything it was given.
/// </summary>
public sealed class PsbtMap
{
    private readonly List<PsbtEntry> _entries = [];
    // Hex of each key: duplicate detection stays linear even for maps with many entries.
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    public IReadOnlyList<PsbtEntry> Entries => _entries;

    /// <summary>The value of the entry whose key is exactly the key type byte <paramref name="keyType"/> (no key data).</summary>
    public byte[]? Get(byte keyType)
    {
        foreach (var entry in _entries)
            if (entry.Key.Length == 1 && entry.Key[0] == keyType) return entry.Value;
        return null;
    }

    public bool Contains(byte keyType) => Get(keyType) is not null;

    internal void Add(PsbtEntry entry)
    {
        if (!_keys.Add(Convert.ToHexString(entry.Key)))
            throw new FormatException($"Duplicate key of type 0x{entry.Key[0]:x2}.");
        _entries.Add(entry);
    }

    /// <summary>Sets the value of a key-type-only key, replacing an existing entry in place.</summary>
    internal void Set(byte keyType, byte[] value)
    {
        for (int i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Key.Length == 1 && _entries[i].Key[0] == keyType)
            {
                _entries[i] = _entries[i] with { Value = value };
                return;
            }
        }
        _keys.Add(Convert.ToHexString([keyType]));
        _entries.Add(new PsbtEntry([keyType], value));
    }
}
