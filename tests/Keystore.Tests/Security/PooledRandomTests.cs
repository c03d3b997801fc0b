using System.Collections.Concurrent;
using Keystore.Security;

namespace Keystore.Tests.Security;

public class PooledRandomTests
{
    [Fact]
    public void Values_drawn_on_many_threads_across_many_blocks_never_repeat()
    {
        var seen = new ConcurrentDictionary<UInt128, byte>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            Span<byte> value = stackalloc byte[16];
            for (int i = 0; i < 25_000; i++)
            {
                PooledRandom.Fill(value);
                Assert.True(seen.TryAdd(System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(value), 0), "a 128-bit value came out twice");
            }
        });
        Assert.Equal(200_000, seen.Count);
    }

    [Fact]
    public void Draws_of_every_length_up_to_past_the_pooled_limit_fill_the_whole_span()
    {
        // Odd lengths walk the block's end at every offset; a byte left unfilled would stay at its marker in most rounds.
        for (int length = 1; length <= PooledRandom.MaxDraw + 8; length++)
        {
            int untouched = 0;
            for (int round = 0; round < 64; round++)
            {
                byte[] value = Enumerable.Repeat((byte)0xA5, length).ToArray();
                PooledRandom.Fill(value);
                untouched += value.Count(b => b == 0xA5);
            }
            // 64 rounds of `length` random bytes hit 0xA5 about length/4 times; a span the generator skipped would be 64 × length.
            Assert.True(untouched < 8 + length, $"length {length}: {untouched} bytes kept their marker");
        }
    }

    [Fact]
    public void The_bytes_are_spread_evenly_over_all_values()
    {
        var counts = new int[256];
        for (int i = 0; i < 16_384; i++)
            foreach (byte b in PooledRandom.GetBytes(16))
                counts[b]++;
        // 262,144 bytes: 1,024 expected per value, standard deviation 32; 6 sigma either way.
        Assert.All(counts, c => Assert.InRange(c, 1_024 - 192, 1_024 + 192));
    }
}
