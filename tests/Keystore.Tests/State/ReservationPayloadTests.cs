using System.Numerics;
using System.Text;
using Keystore.State;

namespace Keystore.Tests.State;

/// <summary>A reservation row's payload keeps the layout rows already written have: .NET's <see cref="BinaryWriter"/> is the reference.</summary>
public class ReservationPayloadTests
{
    public static TheoryData<string, long> Keys => new()
    {
        { "daily-eth", 0 },
        { "agent:ed25519:8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH:eth:1:erc20:0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48:monthly", long.MaxValue },
        { new string('k', 127), 1 },
        { new string('k', 128), 2 },
        { new string('é', 9_000) + "😀", 60_000 },
        { "", -1 },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_payload_is_written_as_BinaryWriter_lays_it_out_and_reads_back_the_same(string key, long amountSeed)
    {
        BigInteger[] amounts = [BigInteger.Zero, BigInteger.One, 127, 128, 255, 256, BigInteger.Pow(2, 127) - 1, BigInteger.Pow(10, 40) + amountSeed, new BigInteger(Math.Abs(amountSeed))];
        var entries = amounts.Select((a, i) => (key + i, (long)TimeSpan.FromDays(i).TotalMilliseconds, a)).ToList();
        foreach (bool committed in new[] { false, true })
        {
            var payload = new ReservationPayload(1_764_000_000_123, 1_764_000_300_123, committed, entries);
            byte[] written = payload.Serialize();
            Assert.Equal(Reference(payload), written);
            ReservationPayload read = ReservationPayload.Deserialize(written);
            Assert.Equal((payload.CreatedAtMs, payload.HoldUntilMs, payload.Committed), (read.CreatedAtMs, read.HoldUntilMs, read.Committed));
            Assert.Equal(entries, read.Entries);
        }
    }

    private static byte[] Reference(ReservationPayload payload)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write((byte)1);
            writer.Write(payload.CreatedAtMs);
            writer.Write(payload.HoldUntilMs);
            writer.Write(payload.Committed);
            writer.Write(payload.Entries.Count);
            foreach ((string key, long windowMs, BigInteger amount) in payload.Entries)
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
}
