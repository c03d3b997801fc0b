using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Keystore.Boot;
using Keystore.MasterSecrets;
using NSec.Cryptography;

namespace Keystore.State;

/// <summary>
/// The keys that make the untrusted database safe to hold: every value is sealed with XChaCha20-Poly1305 under
/// <c>HMAC(master, "near-tee-keystore:v1:state")</c>, bound to its row's identity (table, row id, version) as
/// associated data so a row moved, swapped or relabelled does not open; row ids are HMACs under a second derived key
/// (<c>…:state-index</c>), so the database does not show which account, agent or nonce a row belongs to.
/// </summary>
/// <remarks>
/// The keys follow the master secret held in <see cref="KeystoreState"/>: without one (not booted yet, or revoked) every
/// use answers 503 <c>not-ready</c>, and a new master secret gets new keys.
/// </remarks>
public sealed class StateSealer(KeystoreState state) : IDisposable
{
    public const string SealingLabel = "near-tee-keystore:v1:state";
    public const string IndexLabel = "near-tee-keystore:v1:state-index";
    private const int NonceLength = 24;
    private static readonly AeadAlgorithm Aead = AeadAlgorithm.XChaCha20Poly1305;

    private readonly Lock _gate = new();
    private Keys? _keys;

    /// <summary>The row id for <paramref name="parts"/> in <paramref name="purpose"/>: 32 bytes, the same on every instance.</summary>
    public byte[] RowId(string purpose, params ReadOnlySpan<string> parts) => RowId(Encoding.UTF8.GetBytes(Joined(purpose, parts)));

    // NUL cannot occur in an account id, a public key or a header value, so the joined text names one tuple.
    private static string Joined(string purpose, ReadOnlySpan<string> parts)
    {
        var text = new StringBuilder(purpose);
        foreach (string part in parts) text.Append('\0').Append(part);
        return text.ToString();
    }

    public byte[] RowId(ReadOnlySpan<byte> message) => HMACSHA256.HashData(Current().IndexKey, message);

    /// <summary>How many stable row ids (<see cref="StableRowId"/>) are kept per key generation; past it the set starts over.</summary>
    public const int StableRowIdCapacity = 65_536;

    /// <summary>
    /// <see cref="RowId(string, ReadOnlySpan{string})"/> for ids a keystore computes again and again (an account's, an
    /// agent's): kept, per key generation, so a request that names its account in four tables hashes it once. The array is
    /// shared: callers never write to it.
    /// </summary>
    public byte[] StableRowId(string purpose, params ReadOnlySpan<string> parts)
    {
        string joined = Joined(purpose, parts);
        Keys keys = Current();
        if (keys.StableRowIds.TryGetValue(joined, out byte[]? known))
            return known;
        byte[] id = HMACSHA256.HashData(keys.IndexKey, Encoding.UTF8.GetBytes(joined));
        if (keys.StableRowIds.Count >= StableRowIdCapacity)
            keys.StableRowIds.Clear();
        keys.StableRowIds[joined] = id;
        return id;
    }

    /// <summary>The sealing keys now in use, as an opaque token that changes with the master secret (for caches of opened rows).</summary>
    internal object KeyGeneration => Current();

    /// <summary>Seals <paramref name="plaintext"/> for the row (<paramref name="table"/>, <paramref name="rowId"/>, <paramref name="version"/>).</summary>
    public byte[] Seal(string table, ReadOnlySpan<byte> rowId, long version, ReadOnlySpan<byte> plaintext)
    {
        byte[] sealedValue = new byte[NonceLength + plaintext.Length + Aead.TagSize];
        Security.PooledRandom.Fill(sealedValue.AsSpan(0, NonceLength));
        Aead.Encrypt(Current().SealingKey, sealedValue.AsSpan(0, NonceLength), AssociatedData(table, rowId, version), plaintext, sealedValue.AsSpan(NonceLength));
        return sealedValue;
    }

    /// <summary>Opens a sealed value; a value sealed for another row, another version or under another key is 503 <c>state-tampered</c>.</summary>
    public byte[] Open(string table, ReadOnlySpan<byte> rowId, long version, ReadOnlySpan<byte> sealedValue)
    {
        if (sealedValue.Length < NonceLength + Aead.TagSize)
            throw StateProblems.TamperedRow($"A sealed {table} row is truncated.");
        byte[] plaintext = new byte[sealedValue.Length - NonceLength - Aead.TagSize];
        if (!Aead.Decrypt(Current().SealingKey, sealedValue[..NonceLength], AssociatedData(table, rowId, version), sealedValue[NonceLength..], plaintext))
            throw StateProblems.TamperedRow($"A sealed {table} row does not open: it was changed, moved from another row, or sealed under another master secret.");
        return plaintext;
    }

    private static byte[] AssociatedData(string table, ReadOnlySpan<byte> rowId, long version)
    {
        byte[] label = Encoding.ASCII.GetBytes(SealingLabel + "|" + table + "|");
        byte[] ad = new byte[label.Length + rowId.Length + 8];
        label.CopyTo(ad, 0);
        rowId.CopyTo(ad.AsSpan(label.Length));
        BinaryPrimitives.WriteInt64BigEndian(ad.AsSpan(label.Length + rowId.Length), version);
        return ad;
    }

    private Keys Current()
    {
        MasterSecret master = state.RequireMasterSecret();
        Keys? keys = Volatile.Read(ref _keys);
        if (keys is not null && ReferenceEquals(keys.Master, master))
            return keys;
        lock (_gate)
        {
            if (_keys is not null && ReferenceEquals(_keys.Master, master))
                return _keys;
            Keys fresh = Keys.Derive(master);
            Keys? old = _keys;
            Volatile.Write(ref _keys, fresh);
            // A request may still be sealing with the old key: it goes a little later, as KeystoreState does with the secret.
            if (old is not null)
                _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => old.Dispose(), TaskScheduler.Default);
            return fresh;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _keys?.Dispose();
            _keys = null;
        }
    }

    private sealed class Keys : IDisposable
    {
        private Keys(MasterSecret master, Key sealingKey, byte[] indexKey)
        {
            Master = master;
            SealingKey = sealingKey;
            IndexKey = indexKey;
        }

        public MasterSecret Master { get; }
        public Key SealingKey { get; }
        public byte[] IndexKey { get; }

        /// <summary>Row ids computed under <see cref="IndexKey"/>, by their joined text (see <see cref="StableRowId"/>).</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> StableRowIds { get; } = new(StringComparer.Ordinal);

        public static Keys Derive(MasterSecret master)
        {
            Span<byte> sealing = stackalloc byte[32];
            byte[] index = GC.AllocateArray<byte>(32, pinned: true);
            try
            {
                master.HmacSha256(Encoding.ASCII.GetBytes(SealingLabel), sealing);
                master.HmacSha256(Encoding.ASCII.GetBytes(IndexLabel), index);
                var key = Key.Import(Aead, sealing, KeyBlobFormat.RawSymmetricKey);
                return new Keys(master, key, index);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(sealing);
            }
        }

        public void Dispose()
        {
            SealingKey.Dispose();
            CryptographicOperations.ZeroMemory(IndexKey);
            StableRowIds.Clear();
        }
    }
}
