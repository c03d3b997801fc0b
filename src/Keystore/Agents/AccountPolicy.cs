namespace Keystore.Agents;

/// <summary>
/// The account-wide state an owner sets: <see cref="Frozen"/> stops every signature (the owner's too) until lifted;
/// <see cref="Rules"/> is the account's global policy document (JSON text), or null. <see cref="Version"/> is the account's
/// state version, which every change raises.
/// </summary>
public sealed record AccountPolicy(bool Frozen, string? Rules, long Version, DateTimeOffset? UpdatedAt)
{
    public static readonly AccountPolicy Empty = new(false, null, 0, null);
}
