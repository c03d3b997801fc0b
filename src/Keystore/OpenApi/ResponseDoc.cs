namespace Keystore.OpenApi;

/// <summary>
/// One documented success answer of a route: its body is <see cref="Type"/> (schema generated from the record the
/// endpoint serializes) or the JSON Schema text <see cref="Schema"/> (for bodies built as JSON nodes).
/// <see cref="Examples"/> maps an example name to its JSON text.
/// </summary>
public sealed record ResponseDoc(int Status, string Description, Type? Type = null, string? Schema = null,
    IReadOnlyDictionary<string, string>? Examples = null);
