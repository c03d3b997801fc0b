using Keystore.State;

namespace Keystore.Tests.State;

public class GroupCommitTests
{
    [Fact]
    public async Task Items_waiting_while_a_batch_commits_are_committed_together_and_each_caller_gets_its_own_result()
    {
        var held = new FirstBatchHeld();
        var commits = new GroupCommit<int, string>(async items =>
        {
            await held.EnterAsync(items);
            return [.. items.Select(i => $"done {i}")];
        });

        Task<string> first = commits.RunAsync(0);
        await held.Entered;
        // These arrive while item 0's transaction is open: they must wait for the next one, all in it.
        Task<string>[] waiting = [.. Enumerable.Range(1, 20).Select(commits.RunAsync)];
        Assert.All(waiting, t => Assert.False(t.IsCompleted));
        held.Release();

        Assert.Equal("done 0", await first);
        for (int i = 1; i <= 20; i++)
            Assert.Equal($"done {i}", await waiting[i - 1]);
        Assert.Equal([0], held.Batches[0]);
        Assert.Equal(Enumerable.Range(1, 20), held.Batches[1]);
        Assert.Equal(2, held.Batches.Count);
    }

    [Fact]
    public async Task A_failing_item_fails_only_its_own_caller()
    {
        var held = new FirstBatchHeld();
        var commits = new GroupCommit<int, int>(held.DoublingAllBut13Async);

        Task<int> first = commits.RunAsync(0);
        await held.Entered;
        Task<int>[] waiting = [.. Enumerable.Range(1, 20).Select(commits.RunAsync)];
        held.Release();

        Assert.Equal(0, await first);
        for (int i = 1; i <= 20; i++)
        {
            if (i == 13)
                Assert.Equal("item 13 cannot be written", (await Assert.ThrowsAsync<InvalidOperationException>(() => waiting[i - 1])).Message);
            else
                Assert.Equal(i * 2, await waiting[i - 1]);
        }
    }

    [Fact]
    public async Task Many_concurrent_callers_all_complete_and_no_batch_exceeds_its_bound()
    {
        var counted = new CountedBatches();
        var commits = new GroupCommit<int, int>(counted.EchoAsync, maxBatch: 8);

        int[] results = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => Task.Run(() => commits.RunAsync(i))));

        Assert.Equal(Enumerable.Range(0, 2000), results);
        Assert.Equal(2000, counted.Committed);
        Assert.InRange(counted.Largest, 1, 8);
    }

    [Fact]
    public async Task Items_handed_in_together_are_answered_together_in_order_and_a_failing_one_fails_alone()
    {
        var held = new FirstBatchHeld();
        var commits = new GroupCommit<int, int>(held.DoublingAllBut13Async, maxBatch: 8);

        Task<int> first = commits.RunAsync(0);
        await held.Entered;
        // Handed in while item 0's transaction is open: written after it, at most 8 a transaction, and answered all at once.
        Task<Task<int>[]> together = commits.RunAllAsync([.. Enumerable.Range(1, 20)]);
        Assert.False(together.IsCompleted);
        held.Release();

        Task<int>[] answered = await together;
        Assert.Equal(0, await first);
        Assert.Equal(20, answered.Length);
        Assert.All(answered, t => Assert.True(t.IsCompleted));
        for (int i = 1; i <= 20; i++)
        {
            if (i == 13)
                Assert.Equal("item 13 cannot be written", (await Assert.ThrowsAsync<InvalidOperationException>(() => answered[i - 1])).Message);
            else
                Assert.Equal(i * 2, await answered[i - 1]);
        }
        // Queue order kept: the first batches take 8 items each, the failing one is retried item by item.
        Assert.Equal([0], held.Batches[0]);
        Assert.Equal(Enumerable.Range(1, 8), held.Batches[1]);
        Assert.Equal(Enumerable.Range(9, 8), held.Batches[2]);
        Assert.Empty(await commits.RunAllAsync([]));
    }

    [Fact]
    public async Task Callers_handing_in_one_item_or_many_at_once_all_complete_within_the_bound()
    {
        var counted = new CountedBatches();
        var commits = new GroupCommit<int, int>(counted.EchoAsync, maxBatch: 8);

        Task<int[]>[] groups = [.. Enumerable.Range(0, 200).Select(g => Task.Run(async () => g % 2 == 0
            ? [await commits.RunAsync(g * 10)]
            : await Task.WhenAll(await commits.RunAllAsync([.. Enumerable.Range(g * 10, 10)]))))];
        int[][] results = await Task.WhenAll(groups);

        for (int g = 0; g < 200; g++)
            Assert.Equal(g % 2 == 0 ? [g * 10] : Enumerable.Range(g * 10, 10), results[g]);
        Assert.Equal(100 + 100 * 10, counted.Committed);
        Assert.InRange(counted.Largest, 1, 8);
    }

    /// <summary>Records each batch; the one holding item 0 waits inside its commit until <see cref="Release"/>.</summary>
    private sealed class FirstBatchHeld
    {
        private readonly TaskCompletionSource _entered = new();
        private readonly TaskCompletionSource _release = new();

        public List<int[]> Batches { get; } = [];

        public Task Entered => _entered.Task;

        public void Release() => _release.SetResult();

        public async Task EnterAsync(IReadOnlyList<int> items)
        {
            lock (Batches) Batches.Add([.. items]);
            if (items.Contains(0))
            {
                _entered.SetResult();
                await _release.Task;
            }
        }

        /// <summary>A commit that answers each item doubled and cannot write item 13.</summary>
        public async Task<int[]> DoublingAllBut13Async(IReadOnlyList<int> items)
        {
            await EnterAsync(items);
            if (items.Contains(13))
                throw new InvalidOperationException("item 13 cannot be written");
            return [.. items.Select(i => i * 2)];
        }
    }

    /// <summary>A commit that answers each item itself, counting the items and the largest batch.</summary>
    private sealed class CountedBatches
    {
        private int _largest;
        private int _committed;

        public int Largest => Volatile.Read(ref _largest);

        public int Committed => Volatile.Read(ref _committed);

        public async Task<int[]> EchoAsync(IReadOnlyList<int> items)
        {
            await Task.Yield();
            int seen;
            while ((seen = Volatile.Read(ref _largest)) < items.Count && Interlocked.CompareExchange(ref _largest, items.Count, seen) != seen) { }
            Interlocked.Add(ref _committed, items.Count);
            return [.. items];
        }
    }
}
