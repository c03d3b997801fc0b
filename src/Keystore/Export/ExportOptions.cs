namespace Keystore.Export;

/// <summary>The <c>Keystore:Export</c> section: how often an account may export its keys.</summary>
public sealed class ExportOptions
{
    /// <summary>Exports one account may make per hour. Exports are the most sensitive route; each is audited.</summary>
    public int PerAccountPerHour { get; set; } = 3;

    /// <summary>Accounts whose hourly window is remembered (least recently used go first).</summary>
    public int AccountCapacity { get; set; } = 10_000;
}
