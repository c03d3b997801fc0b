using System.Text.Json;
using Keystore.Problems;

namespace Keystore.Json;

/// <summary>
/// The one reader for JSON a client sends (request bodies and the Authorization credential), with one rule
/// on top of RFC 8259: every string and member name must be text (no lone UTF-16 surrogate such as
/// <c>"\ud800"</c>, no invalid UTF-8), and no object, at any depth, may name a member twice. Without it the
/// parser keeps the last duplicate, so <c>{"transaction":A,"transaction":B}</c> would sign B while a
/// reviewer reads A, and a surrogate would surface later as a 500 from whatever code reads the string.
/// </summary>
public static class StrictJson
{
    public const int MaxDepth = 64;

    /// <summary>Parses a request body; any violation is a 400 <c>invalid-json</c> that says where.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        if (!TryValidate(utf8.Span, out string? error))
            throw new ProblemException(ProblemTypes.InvalidJson, $"The body is not valid JSON: {error}");
        try
        {
            return JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            throw new ProblemException(ProblemTypes.InvalidJson, $"The body is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>True when <paramref name="utf8"/> is one well-formed JSON value obeying the rule; otherwise why not.</summary>
    public static bool TryValidate(ReadOnlySpan<byte> utf8, out string? error)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        var members = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        members.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        members.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        if (!TryGetText(ref reader, out string? name))
                            return Fail($"a member name at byte {reader.TokenStartIndex} is not valid text (lone surrogate or invalid UTF-8)", out error);
                        if (!members.Peek().Add(name))
                            return Fail($"member '{Shorten(name)}' appears twice in one object", out error);
                        break;
                    case JsonTokenType.String:
                        if (!TryGetText(ref reader, out _))
                            return Fail($"the string at byte {reader.TokenStartIndex} is not valid text (lone surrogate or invalid UTF-8)", out error);
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            return Fail(ex.Message, out error);
        }
        error = null;
        return true;
    }

    private static bool TryGetText(ref Utf8JsonReader reader, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? text)
    {
        try
        {
            text = reader.GetString();
            return text is not null;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
