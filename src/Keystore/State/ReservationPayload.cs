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

    public byte[] Serialize()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Format);
            writer.Write(CreatedAtMs);
            writer.Write(HoldUntilMs);
            writer.Write(Committed);
            writer.Write(Entries.Count);
            foreach ((string key, long windowMs, BigInteger amount) in Entries)
            {
                writer.Write(key);
                writer.Write(windowMs);
                byte[] bytes = amount.ToByteArray();
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
        }
        return stream.ToArray();
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
