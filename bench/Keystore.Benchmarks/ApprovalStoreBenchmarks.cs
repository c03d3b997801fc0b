using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Keystore.Approvals;

namespace Keystore.Benchmarks;

/// <summary>
/// What an m-of-n approval costs in the sealed store: opening a pending request (cap count, insert, seal) and one vote
/// (read, open, change, re-seal under the account's write lock), on SQLite (a temporary file).
/// Run: <c>dotnet run -c Release --project bench/Keystore.Benchmarks -- --filter *ApprovalStore* --inProcess</c>; the median is the p50.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ApprovalStoreBenchmarks
{
    private static readonly byte[] Body = System.Text.Encoding.UTF8.GetBytes(
        """{"transaction":{"type":"0x2","chainId":"0x1","nonce":"0","to":"0x742d35Cc6634C0532925a3b844Bc454e4438f44e","value":"200000000000000000","gas":"21000","maxFeePerGas":"0x4a817c800","maxPriorityFeePerGas":"0x3b9aca00","data":"0x"}}""");
    private BenchmarkStateStore _db = null!;
    private ApprovalStore _approvals = null!;
    private string _voteOn = null!;
    private int _account;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _db = await BenchmarkStateStore.OpenAsync("sqlite");
        _approvals = new ApprovalStore(_db.Store);
        PendingApproval target = Pending("voted.near");
        await _approvals.CreateAsync(target, 100, CancellationToken.None);
        _voteOn = target.Id;
    }

    [GlobalCleanup]
    public Task CleanupAsync() => _db.DisposeAsync().AsTask();

    private static PendingApproval Pending(string account) => new()
    {
        Id = ApprovalStore.NewId(),
        Account = account,
        Agent = "ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp",
        Chain = "ethereum",
        Body = Body,
        PayloadHash = Convert.ToHexStringLower(SHA256.HashData(Body)),
        Rule = "payments",
        Required = 2,
        Approvers = ["bob.near", "carol.near", "dave.near"],
        CreatedAt = DateTimeOffset.UtcNow,
        ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
        State = ApprovalStates.Pending,
    };

    /// <summary>An agent's request sent for approvals: the account's open count, the insert, the seal.</summary>
    [Benchmark]
    public Task<bool> Open_a_pending_request() =>
        _approvals.CreateAsync(Pending("bench-" + (Interlocked.Increment(ref _account) % 1000) + ".near"), 10_000, CancellationToken.None);

    /// <summary>One vote that changes the request (its vote list grows and is re-sealed at the next version).</summary>
    [Benchmark]
    public Task One_vote() =>
        _approvals.ChangeAsync("voted.near", _voteOn, p => (p with { Rejections = [new ApprovalVote("erin.near", DateTimeOffset.UtcNow)] }, 0),
            CancellationToken.None);
}
