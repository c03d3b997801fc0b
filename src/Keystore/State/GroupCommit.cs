using System.Collections.Concurrent;

namespace Keystore.State;

/// <summary>
/// Group commit: concurrent callers each hand in one item and await its own result, and the items waiting together are
/// written by one caller in one transaction (<paramref name="commit"/>), so a burst of N requests costs one commit, not
/// N. No background task: the first caller that finds no writer at work becomes the writer and drains the queue (the
/// items that arrived while it committed form the next batch) until its own item is written, then hands the role on.
/// </summary>
/// <remarks>
/// A caller's result is set only after its batch committed, so "awaited" still means "durable" for every item. A batch
/// that fails is retried one item at a time, each in its own transaction, so one bad item fails only its own caller.
/// A caller's cancellation does not cancel the batch it is in (the others in it still want their commit); it is
/// not waited for beyond that batch either.
/// </remarks>
/// <param name="commit">Writes the items in one transaction and answers one result per item, in order.</param>
/// <param name="maxBatch">The most items one transaction takes.</param>
public sealed class GroupCommit<TItem, TResult>(Func<IReadOnlyList<TItem>, Task<TResult[]>> commit, int maxBatch = 256)
{
    private readonly ConcurrentQueue<(TItem Item, TaskCompletionSource<TResult> Done)> _queue = new();
    private int _writing;

    public async Task<TResult> RunAsync(TItem item)
    {
        // Continuations run asynchronously: the writer must not run every other caller's rest-of-request inline.
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Enqueue((item, done));
        if (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
            await DrainAsync(done.Task).ConfigureAwait(false);
        return await done.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Hands in <paramref name="items"/> at once, in order, as that many <see cref="RunAsync"/> calls would, but the caller
    /// waits once for all of them (one wake-up, not one an item). Each item still succeeds or fails on its own (a failed
    /// batch is retried one item at a time): the answer is one task per item, every one of them completed.
    /// </summary>
    public async Task<Task<TResult>[]> RunAllAsync(IReadOnlyList<TItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var results = new Task<TResult>[items.Count];
        if (items.Count == 0)
            return results;
        TaskCompletionSource<TResult> last = null!;
        for (int i = 0; i < items.Count; i++)
        {
            last = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _queue.Enqueue((items[i], last));
            results[i] = last.Task;
        }
        if (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
            await DrainAsync(last.Task).ConfigureAwait(false);
        // Items are answered in queue order, one batch after the other and in order within one (its retries too): once
        // the last is answered, every item before it is.
        await ((Task)last.Task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return results;
    }

    /// <param name="own">
    /// The writer's own item: once it is committed, a caller that became the writer does not stay it for everyone
    /// else's items (under steady load the queue may never empty); the draining goes on on the thread pool.
    /// </param>
    private async Task DrainAsync(Task? own)
    {
        var batch = new List<(TItem Item, TaskCompletionSource<TResult> Done)>();
        while (true)
        {
            if (own is { IsCompleted: true } && !_queue.IsEmpty)
            {
                // The writer's role passes to a pool thread as it is: still taken, so nobody else starts draining meanwhile.
                _ = Task.Run(() => DrainAsync(null));
                return;
            }
            batch.Clear();
            while (batch.Count < maxBatch && _queue.TryDequeue(out var next))
                batch.Add(next);
            if (batch.Count == 0)
            {
                Volatile.Write(ref _writing, 0);
                // An item queued after the last dequeue and before the release found a writer at work and did not drain:
                // take the role back for it, unless another caller already did.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
                    return;
                continue;
            }
            await CommitAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<(TItem Item, TaskCompletionSource<TResult> Done)> batch)
    {
        try
        {
            TResult[] results = await commit(batch.ConvertAll(b => b.Item)).ConfigureAwait(false);
            for (int i = 0; i < batch.Count; i++)
                batch[i].Done.TrySetResult(results[i]);
            return;
        }
        catch (Exception ex) when (batch.Count == 1)
        {
            batch[0].Done.TrySetException(ex);
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Retried alone below: the fault may belong to one item (or be the store's, then each caller hears it).
        }
        foreach ((TItem item, TaskCompletionSource<TResult> done) in batch)
        {
            try
            {
                done.TrySetResult((await commit([item]).ConfigureAwait(false))[0]);
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        }
    }
}
