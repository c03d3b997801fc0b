namespace Keystore.Caching;

/// <summary>
/// A map bounded by size and by age: the one type behind every table the keystore keeps on behalf of
/// clients (binding status, owner keys, nonces), so no pattern of requests grows memory without limit.
/// Every entry has its own deadline and is gone after it. When the map is full, <see cref="Set"/> makes
/// room by evicting the least recently used entry, whereas <see cref="TryAdd"/> never evicts a live entry
/// and reports <see cref="CacheAddResult.Full"/> instead: a nonce forgotten inside its window would let
/// a replay through, so refusing new work is the only safe answer for that table. Thread-safe.
/// </summary>
public sealed class BoundedCache<TKey, TValue> where TKey : notnull
{
    // A full scan for expired entries costs O(n); when entries expire out of order it runs at most this often.
    private static readonly TimeSpan FullSweepInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _map;
    private readonly LinkedList<Entry> _recency = new(); // first = most recently used
    private readonly TimeProvider _time;
    private DateTimeOffset _nextFullSweep;

    public BoundedCache(int capacity, TimeSpan timeToLive, TimeProvider time, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeToLive, TimeSpan.Zero);
        Capacity = capacity;
        TimeToLive = timeToLive;
        _time = time;
        _map = new Dictionary<TKey, LinkedListNode<Entry>>(comparer);
    }

    public int Capacity { get; }

    /// <summary>The age limit of an entry stored without an explicit deadline.</summary>
    public TimeSpan TimeToLive { get; }

    /// <summary>Entries held, expired ones not yet dropped included.</summary>
    public int Count
    {
        get { lock (_gate) return _map.Count; }
    }

    /// <summary>The live value of <paramref name="key"/>, which becomes the most recently used entry.</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_map.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                if (!IsExpired(node.Value, now))
                {
                    Touch(node);
                    value = node.Value.Value;
                    return true;
                }
                RemoveNode(node);
            }
        }
        value = default!;
        return false;
    }

    /// <summary>Stores or replaces <paramref name="key"/> until <paramref name="expires"/> (default: now + <see cref="TimeToLive"/>), evicting the least recently used entry when full.</summary>
    public void Set(TKey key, TValue value, DateTimeOffset? expires = null)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var entry = new Entry(key, value, expires ?? now + TimeToLive);
        lock (_gate)
        {
            if (_map.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                node.Value = entry;
                Touch(node);
                return;
            }
            if (_map.Count >= Capacity)
            {
                DropExpiredFromTail(now);
                if (_map.Count >= Capacity)
                    RemoveNode(_recency.Last!);
            }
            _map.Add(key, _recency.AddFirst(entry));
        }
    }

    /// <summary>
    /// Stores <paramref name="key"/> only if it holds no live entry. Never evicts a live entry: when the
    /// cache is full of them the answer is <see cref="CacheAddResult.Full"/> and nothing changes.
    /// </summary>
    public CacheAddResult TryAdd(TKey key, TValue value, DateTimeOffset? expires = null)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var entry = new Entry(key, value, expires ?? now + TimeToLive);
        lock (_gate)
        {
            if (_map.TryGetValue(key, out LinkedListNode<Entry>? node))
            {
                if (!IsExpired(node.Value, now))
                    return CacheAddResult.Exists;
                RemoveNode(node);
            }
            if (_map.Count >= Capacity)
            {
                DropExpiredFromTail(now);
                if (_map.Count >= Capacity && now >= _nextFullSweep)
                {
                    _nextFullSweep = now + FullSweepInterval;
                    DropAllExpired(now);
                }
                if (_map.Count >= Capacity)
                    return CacheAddResult.Full;
            }
            _map.Add(key, _recency.AddFirst(entry));
            return CacheAddResult.Added;
        }
    }

    public bool Remove(TKey key)
    {
        lock (_gate)
        {
            if (!_map.TryGetValue(key, out LinkedListNode<Entry>? node)) return false;
            RemoveNode(node);
            return true;
        }
    }

    private static bool IsExpired(Entry entry, DateTimeOffset now) => now > entry.Expires;

    private void Touch(LinkedListNode<Entry> node)
    {
        if (node == _recency.First) return;
        _recency.Remove(node);
        _recency.AddFirst(node);
    }

    private void RemoveNode(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _map.Remove(node.Value.Key);
    }

    // Entries stored with one time-to-live expire in recency order, so this alone keeps such a cache clean.
    private void DropExpiredFromTail(DateTimeOffset now)
    {
        while (_recency.Last is { } last && IsExpired(last.Value, now))
            RemoveNode(last);
    }

    private void DropAllExpired(DateTimeOffset now)
    {
        for (LinkedListNode<Entry>? node = _recency.First; node is not null;)
        {
            LinkedListNode<Entry>? next = node.Next;
            if (IsExpired(node.Value, now)) RemoveNode(node);
            node = next;
        }
    }

    private readonly record struct Entry(TKey Key, TValue Value, DateTimeOffset Expires);
}
