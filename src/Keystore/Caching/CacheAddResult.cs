namespace Keystore.Caching;

/// <summary>What <see cref="BoundedCache{TKey,TValue}.TryAdd"/> did.</summary>
public enum CacheAddResult
{
    /// <summary>The key was absent (or expired) and is now stored.</summary>
    Added,

    /// <summary>The key holds a live entry; nothing changed.</summary>
    Exists,

    /// <summary>Every slot holds a live entry; nothing changed.</summary>
    Full,
}
