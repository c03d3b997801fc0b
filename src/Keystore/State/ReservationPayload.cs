using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Keystore.State;

/// <summary>
/// The sealed contents of a reservation row: when it was made, until when an uncommitted one counts, whether it was
/// committed, and its (window key, window length, amount) entries. A compact binary form: every reservation in an
/// account's windows is opened on each new one.
/// </summary>
internal sealed record ReservationPayload(long CreatedAtMs, long HoldUntilMs, bool Committed, IReadOnlyList<(string Key, long WindowMs, BigInteger Amount)> Entries)
{
    private const byte Format = 1;

    /// <summary>The table its rows live in, sealed under <see cref="RowIdentity"/>.</summary>
    public const string Table = "reservations";

    /// <summary>How a row is written, by either <see cref="ISpendingWindows"/> (a hold or a committed row).</summary>
    public const string InsertSql = "INSERT INTO reservations (reservation_id, account_id, keep_until, tag, sealed) VALUES (@id, @a, @k, @t, @s)";

    /// <summary>An uncommitted reservation stops counting after this: its signer crashed or never came back.</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromMinutes(5);

    public bool CountsAt(long nowMs) => Committed || HoldUntilMs >= nowMs;

    /// <summary>The last moment any of its windows can still see it (computed once: a commit's copy changes neither its times nor its entries).</summary>
    public long KeepUntilMs { get; } = Math.Max(HoldUntilMs, CreatedAtMs + LongestWindow(Entries));

    /// <summary>The amounts as <see cref="Int128"/> (every real amount fits), so windows are summed without allocating; null if one does not fit.</summary>
    public Int128[]? SmallAmounts { get; } = Small(Entries);

    private static long LongestWindow(IReadOnlyList<(string Key, long WindowMs, BigInteger Amount)> entries)
    {
        long longest = 0;
        for (int i = 0; i < entries.Count; i++)
            longest = Math.Max(longest, entries[i].WindowMs);
        return longest;
    }

    private static Int128[]? Small(IReadOnlyList<(string Key, long WindowMs, BigInteger Amount)> entries)
    {
        var amounts = new Int128[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            BigInteger amount = entries[i].Amount;
            if (amount.Sign < 0 || amount > Int128.MaxValue) return null;
            amounts[i] = (Int128)amount;
        }
        return amounts;
    }

    /// <summary>
    /// The payload's bytes, as <see cref="BinaryWriter"/> lays them out (little-endian numbers, strings as a 7-bit encoded
    /// length and UTF-8, amounts as a length and <see cref="BigInteger.ToByteArray()"/>), written at their exact size.
    /// </summary>
    public byte[] Serialize()
    {
        int size = 1 + 8 + 8 + 1 + 4;
        for (int i = 0; i < Entries.Count; i++)
        {
            int keyBytes = Encoding.UTF8.GetByteCount(Entries[i].Key);
            size += LengthPrefixSize(keyBytes) + keyBytes + 8 + 4 + Entries[i].Amount.GetByteCount();
        }
        byte[] data = new byte[size];
        Span<byte> rest = data;
        rest[0] = Format;
        BinaryPrimitives.WriteInt64LittleEndian(rest[1..], CreatedAtMs);
        BinaryPrimitives.WriteInt64LittleEndian(rest[9..], HoldUntilMs);
        rest[17] = Committed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(rest[18..], Entries.Count);
        rest = rest[22..];
        foreach ((string key, long windowMs, BigInteger amount) in Entries)
        {
            int keyBytes = Encoding.UTF8.GetByteCount(key);
            for (uint length = (uint)keyBytes; ; length >>= 7)
            {
                if (length < 0x80)
                {
                    rest[0] = (byte)length;
                    rest = rest[1..];
                    break;
                }
                rest[0] = (byte)(length | 0x80);
                rest = rest[1..];
            }
            rest = rest[Encoding.UTF8.GetBytes(key, rest)..];
            BinaryPrimitives.WriteInt64LittleEndian(rest, windowMs);
            int amountBytes = amount.GetByteCount();
            BinaryPrimitives.WriteInt32LittleEndian(rest[8..], amountBytes);
            amount.TryWriteBytes(rest[12..], out int written);
            rest = rest[(12 + written)..];
        }
        return data;
    }

    private static int LengthPrefixSize(int length)
    {
        int size = 1;
        for (uint rest = (uint)length >> 7; rest != 0; rest >>= 7) size++;
        return size;
    }

    public static ReservationPayload Deserialize(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data), Encoding.UTF8);
        if (reader.ReadByte() != Format)
            throw StateProblems.TamperedRow("A reservation row has an unknown format.");
        long created = reader.ReadInt64();
        long hold = reader.ReadInt64();
        bool committed = reader.ReadBoolean();
        int count = reader.ReadInt32();
        var entries = new List<(string, long, BigInteger)>(count);
        for (int i = 0; i < count; i++)
        {
            string key = reader.ReadString();
            long window = reader.ReadInt64();
            int length = reader.ReadInt32();
            entries.Add((key, window, new BigInteger(reader.ReadBytes(length))));
        }
        return new ReservationPayload(created, hold, committed, entries);
    }

    /// <summary>This payload sealed for its row (account, reservation id): how both windows write a reservation row.</summary>
    public byte[] Seal(StateSealer sealer, ReadOnlySpan<byte> accountId, ReadOnlySpan<byte> reservationId) =>
        sealer.Seal(Table, RowIdentity(accountId, reservationId), 0, Serialize());

    /// <summary>A reservation row's sealed value opened for its row (a changed, moved or swapped row is 503 <c>state-tampered</c>).</summary>
    public static ReservationPayload Open(StateSealer sealer, ReadOnlySpan<byte> accountId, ReadOnlySpan<byte> reservationId, ReadOnlySpan<byte> sealedValue) =>
        Deserialize(sealer.Open(Table, RowIdentity(accountId, reservationId), 0, sealedValue));

    /// <summary>The row identity a reservation is sealed under: its account and its own id.</summary>
    public static byte[] RowIdentity(ReadOnlySpan<byte> accountId, ReadOnlySpan<byte> reservationId)
    {
        byte[] identity = new byte[accountId.Length + reservationId.Length];
        accountId.CopyTo(identity);
        reservationId.CopyTo(identity.AsSpan(accountId.Length));
        return identity;
    }
}
