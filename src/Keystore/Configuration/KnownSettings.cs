using System.Reflection;

namespace Keystore.Configuration;

/// <summary>
/// Refuses configuration keys under <c>Keystore</c> that bind to nothing, by name. The binder silently
/// ignores them, and for a security setting the silent fallback is the dangerous one.
/// </summary>
internal static class KnownSettings
{
    public static void Check(IConfigurationSection section, Type type, List<string> failures)
    {
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (ChildType(type, child.Key) is { } childType)
            {
                Check(child, childType, failures);
                continue;
            }
            string[] names = SettingNames(type);
            string? near = names.Where(n => Distance(n, child.Key) <= 2).OrderBy(n => Distance(n, child.Key)).FirstOrDefault();
            failures.Add(names.Length == 0
                ? $"{child.Path} is not a known setting ({section.Path} takes a single value)."
                : $"{child.Path} is not a known setting{(near is null ? "" : $" (did you mean {section.Path}:{near}?)")}; {section.Path} takes {string.Join(", ", names)}.");
        }
    }

    /// <summary>Every setting path under <paramref name="prefix"/> (<c>{name}</c> and <c>{n}</c> for map keys and list items), for <c>--help</c>.</summary>
    public static IEnumerable<string> Paths(Type type, string prefix)
    {
        if (IsScalar(type))
        {
            yield return prefix;
            yield break;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            foreach (string p in Paths(type.GetGenericArguments()[1], prefix + ":{name}")) yield return p;
            yield break;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            foreach (string p in Paths(type.GetGenericArguments()[0], prefix + ":{n}")) yield return p;
            yield break;
        }
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            foreach (string p in Paths(property.PropertyType, prefix + ":" + property.Name)) yield return p;
    }

    /// <summary>The type a child key binds to, or null when nothing takes it.</summary>
    private static Type? ChildType(Type type, string key)
    {
        if (IsScalar(type)) return null;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            return type.GetGenericArguments()[1];
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            return int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) ? type.GetGenericArguments()[0] : null;
        PropertyInfo? property = type.GetProperty(key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is { CanWrite: true } ? property.PropertyType : null;
    }

    private static string[] SettingNames(Type type) =>
        IsScalar(type) || type.IsGenericType
            ? []
            : type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).ToArray();

    private static bool IsScalar(Type type) =>
        type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(TimeSpan) || type == typeof(decimal)
        || Nullable.GetUnderlyingType(type) is not null;

    // Levenshtein distance, case-insensitive: enough to point from MasterSecert to MasterSecret.
    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
