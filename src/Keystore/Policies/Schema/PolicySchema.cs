namespace Keystore.Policies.Schema;

/// <summary>The published JSON Schema (draft 2020-12) of policy documents, embedded from <c>policy.schema.json</c>.</summary>
public static class PolicySchema
{
    public const string ResourceName = "Keystore.Policies.Schema.policy.schema.json";

    private static readonly Lazy<string> Text = new(() =>
    {
        using Stream stream = typeof(PolicySchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The schema's JSON text, as served to clients.</summary>
    public static string Json => Text.Value;
}
