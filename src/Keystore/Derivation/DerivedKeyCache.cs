using System.Runtime.CompilerServices;
using Keystore.Chains;
using Keystore.MasterSecrets;

namespace Keystore.Derivation;

/// <summary>
/// Derived chain keys per (account, chain, index), so a warm key skips BIP39's PBKDF2-2048 (three quarters of
/// a sign request's CPU without it). Inside the TEE the master secret already sits in memory, and every key
/// here follows from it, so a cached key adds no exposure as long as the cache is pinned, bounded and wiped
/// on eviction: each key lives in its own pinned buffer, the least recently used goes when
/// <see cref="Capacity"/> is reached, a key unused for <see cref="IdleTimeout"/> goes too, and every evicted
/// buffer is zeroed at once. When the master secret is dropped (revocation, replacement, shutdown) the whole
/// cache is wiped and keys still being derived from that secret are never stored. Callers get their own copy
/// (a <see cref="SigningKey"/> they dispose), so an eviction never wipes a key a request is signing with.
/// </summary>
public sealed class DerivedKeyCache : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Slot, LinkedListNode<Entry>> _map = [];
    private readonly LinkedList<Entry> _recency = new(); // first = most recently used
    private readonly ConditionalWeakTable<MasterSecret, object> _dropped = [];
    private readonly TimeProvider _time;
    private readonly ITimer? _sweeper;
    private MasterSecret? _owner;
    private long _hits;
    private long _misses;
    private bool _disposed;

    /// <param name="capacity">Keys held at most; 0 turns caching off (every request derives).</param>
    /// <param name="idleTimeout">A key unused this long is wiped.</param>
    public DerivedKeyCache(int capacity, TimeSpan idleTimeout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idleTimeout, TimeSpan.Zero);
        Capacity = capacity;
        IdleTimeout = idleTimeout;
        _time = time;
        if (capacity > 0)
        {
            // Idle keys go even when no request comes to notice them.
            TimeSpan period = TimeSpan.FromTicks(Math.Clamp(idleTimeout.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
            _sweeper = time.CreateTimer(_ => RemoveIdle(), null, period, period);
        }
    }

    public int Capacity { get; }

    public TimeSpan IdleTimeout { get; }

    public int Count
    {
        get { lock (_gate) return _map.Count; }
    }

    /// <summary>Requests served from the cache, and requests that had to derive.</summary>
    public (long Hits, long Misses) Statistics => (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));

    /// <summary>The key of <paramref name="account"/> on <paramref name="chain"/> at <paramref name="index"/>; the caller disposes it.</summary>
    public SigningKey Get(MasterSecret master, string account, IChainSigner chain, uint index) =>
        Get(master, account, chain, chain.DerivationPath(index));

    /// <summary>
    /// The key of <paramref name="account"/> on <paramref name="chain"/> at <paramref name="path"/> (the chain's path for an
    /// index, for callers that show it too); the caller disposes it. Keys are filed under the path they were derived at,
    /// so no caller can file a key under another's slot.
    /// </summary>
    public SigningKey Get(MasterSecret master, string account, IChainSigner chain, DerivationPath path)
    {
        if (Capacity == 0)
        {
            Interlocked.Increment(ref _misses);
            return AccountKeyDeriver.Derive(master, account, chain.Curve, path);
        }
        var slot = new Slot(account, chain.Name, path);
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            if (ReferenceEquals(_owner, master) && _map.TryGetValue(slot, out LinkedListNode<Entry>? node))
            {
                if (now - node.Value.LastUsed < IdleTimeout)
                {
                    node.Value.LastUsed = now;
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    Interlocked.Increment(ref _hits);
                    return node.Value.Key.Clone();
                }
                Remove(node);
            }
        }

        Interlocked.Increment(ref _misses);
        SigningKey key = AccountKeyDeriver.Derive(master, account, chain.Curve, path);
        lock (_gate)
        {
            // A secret dropped while this key was being derived must leave nothing behind.
            if (_disposed || _dropped.TryGetValue(master, out _)) return key;
            if (!ReferenceEquals(_owner, master))
            {
                WipeAll();
                _owner = master;
            }
            if (!_map.ContainsKey(slot))
            {
                RemoveIdleFromTail(now);
                if (_map.Count >= Capacity) Remove(_recency.Last!);
                _map.Add(slot, _recency.AddFirst(new Entry(slot, key.Clone(), now)));
            }
        }
        return key;
    }

    /// <summary>Wipes every key derived from <paramref name="master"/> and never stores one again.</summary>
    public void Drop(MasterSecret master)
    {
        lock (_gate)
        {
            _dropped.AddOrUpdate(master, master);
            if (ReferenceEquals(_owner, master))
            {
                WipeAll();
                _owner = null;
            }
        }
    }

    /// <summary>Wipes the keys that have been idle for <see cref="IdleTimeout"/>.</summary>
    public void RemoveIdle()
    {
        lock (_gate) RemoveIdleFromTail(_time.GetUtcNow());
    }

    public void Dispose()
    {
        _sweeper?.Dispose();
        lock (_gate)
        {
            WipeAll();
            _owner = null;
            _disposed = true;
        }
    }

    // The tail is the least recently used, so idle entries are all found there.
    private void RemoveIdleFromTail(DateTimeOffset now)
    {
        while (_recency.Last is { } last && now - last.Value.LastUsed >= IdleTimeout)
            Remove(last);
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _map.Remove(node.Value.Slot);
        node.Value.Key.Dispose();
    }

    private void WipeAll()
    {
        foreach (Entry entry in _recency) entry.Key.Dispose();
        _recency.Clear();
        _map.Clear();
    }

    private readonly record struct Slot(string Account, string Chain, DerivationPath Path);

    /// <summary>
    /// One key: a copy made with <see cref="SigningKey.Clone"/>, so its secret sits in its own pinned buffer and no
    /// ed25519 key is imported into libsodium's locked memory for it (requests get clones of their own).
    /// </summary>
    private sealed class Entry(Slot slot, SigningKey key, DateTimeOffset now)
    {
        public Slot Slot { get; } = slot;

        public SigningKey Key { get; } = key;

        public DateTimeOffset LastUsed { get; set; } = now;
    }
}
