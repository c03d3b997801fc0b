using Keystore.Approvals;
using Keystore.State;
using Keystore.Tests.State;
using Keystore.TestSupport.State;

namespace Keystore.Tests.Approvals;

/// <summary>The sweeper's query reads the <c>open_until</c> index rather than every account's approval rows.</summary>
public sealed class ApprovalSweepIndexTests
{
    [Fact]
    public async Task The_sweepers_due_query_searches_the_open_until_index_in_order_instead_of_scanning_the_table()
    {
        await using StateTestStore db = await StateTestStore.SqliteAsync(null);
        var plan = new List<string>();
        await db.Store.ReadAsync(async c =>
        {
            await StateDatabase.ReadRowsAsync(c, null, "EXPLAIN QUERY PLAN " + ApprovalStore.DueQuery, row => plan.Add(row.GetString(3)), CancellationToken.None,
                ("@now", 1_000L), ("@l", 100L));
            return 0;
        }, CancellationToken.None);

        string detail = Assert.Single(plan);
        Assert.Contains("SEARCH approvals USING INDEX approvals_by_open_until (open_until>? AND open_until<?)", detail);
        Assert.DoesNotContain(plan, p => p.Contains("SCAN", StringComparison.Ordinal) || p.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }
}
