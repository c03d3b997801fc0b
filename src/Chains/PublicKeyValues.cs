namespace Keystore.Chains;

/// <summary>
/// Values that follow from a public key alone (an Ethereum address, a Taproot output key), one per type, computed on first
/// use. A <see cref="SigningKey"/> shares its instance with its clones, so a key served from a cache keeps them across
/// requests; they are public, so there is nothing to wipe. Safe for concurrent use: two racing computations give equal
/// values and the first stored wins.
/// </summary>
internal sealed class PublicKeyValues
{
    private object[] _values = [];

    public T GetOrAdd<T>(byte[] publicKey, Func<byte[], T> compute) where T : class
    {
        if (Find<T>(Volatile.Read(ref _values)) is { } known) return known;
        T computed = compute(publicKey);
        while (true)
        {
            object[] current = Volatile.Read(ref _values);
            if (Find<T>(current) is { } stored) return stored;
            if (ReferenceEquals(Interlocked.CompareExchange(ref _values, [.. current, computed], current), current)) return computed;
        }
    }

    private static T? Find<T>(object[] values) where T : class
    {
        foreach (object value in values)
            if (value is T known) return known;
        return null;
    }
}
