using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.LocalNear.Tests.Runtime;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Concurrent_transactions_and_views_see_consistent_state()
    {
        string[] senders = [.. Enumerable.Range(0, 8).Select(i => $"s{i}.test")];
        using var h = new ChainHarness([.. senders.Select(s => (s, (byte[]?)null)), ("sink.test", null)]);
        var sinkBefore = h.Chain.ViewAccount("sink.test").Amount;
        // Each sender signs its own nonces up front, then all submit at once from different threads.
        var batches = senders.Select(s => Enumerable.Range(1, 5)
            .Select(n => h.Sign(s, "sink.test", [new TransferAction(1000)], nonce: (ulong)n)).ToList()).ToList();
        var viewer = Task.Run(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                // Every view sees a whole number of executed transfers.
                var amount = h.Chain.ViewAccount("sink.test").Amount - sinkBefore;
                Assert.Equal(UInt128.Zero, amount % 1000);
            }
        });
        await Task.WhenAll(batches.Select(batch => Task.Run(async () =>
        {
            foreach (var tx in batch) Assert.Equal("", OutcomeAssert.SuccessText(await h.Chain.SubmitAsync(tx)));
        })));
        await viewer;
        Assert.Equal(sinkBefore + (UInt128)(1000 * 5 * senders.Length), h.Chain.ViewAccount("sink.test").Amount);
        foreach (var s in senders) Assert.Equal(5UL, h.Chain.ViewAccessKey(s, h.KeyOf(s).PublicKey).Nonce);
    }
}
