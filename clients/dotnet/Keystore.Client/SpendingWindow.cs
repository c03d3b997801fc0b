namespace Keystore.Client;

/// <summary>One spending window a request is charged to: the rule, its length, its limit, what is used and what would be after this request (decimal strings, base units).</summary>
public sealed record SpendingWindow(string Key, string Rule, long WindowSeconds, string Limit, string Current, string After);
