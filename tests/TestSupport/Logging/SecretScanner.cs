using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Near.Encoding;

namespace Keystore.TestSupport.Logging;

/// <summary>
/// Looks for secrets in text, in every form a leak could take: hex (either case, and any 16-byte run of it),
/// base64, base64url and base58 for byte secrets; the words themselves and every run of three consecutive
/// words for a mnemonic. JSON bodies are also searched after unescaping their strings.
/// </summary>
public sealed class SecretScanner
{
    private readonly List<(string Name, string Value, StringComparison Comparison)> _needles = [];

    public IReadOnlyList<(string Name, string Value)> Needles => _needles.Select(n => (n.Name, n.Value)).ToList();

    public SecretScanner AddBytes(string name, byte[] secret)
    {
        _needles.Add(($"{name} (hex)", Convert.ToHexString(secret), StringComparison.OrdinalIgnoreCase));
        _needles.Add(($"{name} (base64)", Convert.ToBase64String(secret), StringComparison.Ordinal));
        _needles.Add(($"{name} (base64url)", Convert.ToBase64String(secret).TrimEnd('=').Replace('+', '-').Replace('/', '_'), StringComparison.Ordinal));
        _needles.Add(($"{name} (base58)", Base58.Encode(secret), StringComparison.Ordinal));
        // Half a key is a leak too: every 16-byte window, in hex.
        for (int i = 0; i + 16 <= secret.Length; i++)
            _needles.Add(($"{name} (hex of bytes {i}..{i + 15})", Convert.ToHexString(secret, i, 16), StringComparison.OrdinalIgnoreCase));
        return this;
    }

    public SecretScanner AddText(string name, string secret)
    {
        _needles.Add((name, secret, StringComparison.Ordinal));
        return this;
    }

    public SecretScanner AddMnemonic(string name, string mnemonic)
    {
        AddText(name, mnemonic);
        string[] words = mnemonic.Split(' ');
        for (int i = 0; i + 3 <= words.Length; i++)
            _needles.Add(($"{name} (words {i + 1}-{i + 3})", string.Join(' ', words, i, 3), StringComparison.OrdinalIgnoreCase));
        return this;
    }

    /// <summary>The names (never the values) of the secrets found in <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Find(string text)
    {
        var haystacks = new List<string> { text };
        haystacks.AddRange(JsonStrings(text));
        return _needles.Where(n => haystacks.Any(h => h.Contains(n.Value, n.Comparison))).Select(n => n.Name).Distinct().ToList();
    }

    private static IEnumerable<string> JsonStrings(string text)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(text); }
        catch (JsonException) { yield break; }
        var stack = new Stack<JsonNode?>([root]);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case JsonObject o:
                    foreach (var (key, value) in o) { yield return key; stack.Push(value); }
                    break;
                case JsonArray a:
                    foreach (JsonNode? item in a) stack.Push(item);
                    break;
                case JsonValue v when v.TryGetValue(out string? s):
                    yield return s;
                    break;
            }
        }
    }
}
