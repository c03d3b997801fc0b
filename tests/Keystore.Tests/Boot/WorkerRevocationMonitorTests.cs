using System.Text.Json.Nodes;
using Keystore.Boot;
using Keystore.Configuration;
using Keystore.Dao;
using Keystore.MasterSecrets;
using Keystore.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Keystore.Tests.Support.ScriptedNearRpc;

namespace Keystore.Tests.Boot;

/// <summary>
/// The revocation monitor against a scripted RPC node: only two consecutive definite answers at final
/// blocks drop the master secret; faults, lagging nodes and reset chains never do.
/// </summary>
public sealed class WorkerRevocationMonitorTests
{
    private const ulong RegisteredAt = 100;

    private sealed class Harness : IDisposable
    {
        private readonly IOptions<KeystoreOptions> _options = Options.Create(new KeystoreOptions
        {
            Near = new NearOptions
            {
                RpcUrls = ["http://rpc.invalid/"],
                DaoContractId = "dao.test.near",
                RevocationCheckInterval = TimeSpan.FromMilliseconds(5),
            },
        });
        private readonly NearConnection _near;

        public Harness(ScriptedNearRpc rpc)
        {
            Rpc = rpc;
            _near = new NearConnection(_options, new Factory(rpc));
            Worker = new WorkerContext(_near);
        }

        public ScriptedNearRpc Rpc { get; }
        public WorkerContext Worker { get; }
        public KeystoreState State { get; } = new(TimeProvider.System);

        public async Task RunUntilScriptIsUsedAsync()
        {
            var options = _options;
            State.SetMasterSecret(new MasterSecret(new byte[32]), "ckd");
            Worker.MarkRegistered(new DaoRegistration(RegisteredAt, new DaoConfig("v1.signer.test.near", 2, "keystore", "chain-keys.test.near")));
            var near = _near;
            using var monitor = new WorkerRevocationMonitor(near, Worker, State, options, TimeProvider.System, NullLogger<WorkerRevocationMonitor>.Instance);
            await monitor.StartAsync(CancellationToken.None);
            // The monitor either stops on its own (dropped) or keeps asking past the end of the script.
            await Task.WhenAny(Rpc.Exhausted, monitor.ExecuteTask!).WaitAsync(TimeSpan.FromSeconds(20));
            await monitor.StopAsync(CancellationToken.None);
        }

        public void Dispose()
        {
            State.Dispose();
            Worker.Dispose();
        }
    }

    private sealed class Factory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private static string? RegisterError(KeystoreState state) => state.Steps.SingleOrDefault(s => s.Name == "register")?.LastError;

    [Fact]
    public async Task One_not_listed_answer_between_listed_ones_keeps_the_secret()
    {
        // A lagging or flapping node: never twice in a row.
        using var h = new Harness(new ScriptedNearRpc([
            Status("unknown", 101), Status("registered", 102), Status("revoked", 103), Status("registered", 104), Status("unknown", 105),
        ]));
        await h.RunUntilScriptIsUsedAsync();
        Assert.True(h.State.IsReady);
        Assert.True(h.Worker.IsRegistered);
        Assert.Null(RegisterError(h.State));
    }

    [Fact]
    public async Task Faults_reset_chains_and_answers_from_older_blocks_are_unknown_and_never_drop()
    {
        using var h = new Harness(new ScriptedNearRpc([
            Status("revoked", 110),
            UnknownAccount(),                // the DAO account is gone: a reset chain, not an answer
            Status("revoked", 109),          // a node behind block 110
            Status("unknown", 50),           // older than the block the registration was confirmed at
            Status("registered", 111),       // the streak is broken by a definite "registered"
            Status("revoked", 112),
            Result(new JsonObject { ["status"] = "maybe" }, 113), // an answer this keystore does not understand
        ]));
        await h.RunUntilScriptIsUsedAsync();
        Assert.True(h.State.IsReady);
        // Every check asked get_worker_status at final finality.
        Assert.All(h.Rpc.Requests, r =>
        {
            Assert.Equal("query", r["method"]!.GetValue<string>());
            Assert.Equal("final", r["params"]!["finality"]!.GetValue<string>());
            Assert.Equal("get_worker_status", r["params"]!["method_name"]!.GetValue<string>());
        });
        Assert.True(h.Rpc.Requests.Count >= 7);
    }

    [Fact]
    public async Task Two_consecutive_revoked_answers_drop_the_secret_even_with_a_fault_between_them()
    {
        using var h = new Harness(new ScriptedNearRpc([
            Status("registered", 101), Status("revoked", 120), UnknownAccount(), Status("revoked", 120), Status("registered", 121),
        ]));
        await h.RunUntilScriptIsUsedAsync();
        Assert.False(h.State.IsReady);
        Assert.False(h.Worker.IsRegistered);
        Assert.Equal(WorkerRevocationMonitor.RevokedReason, RegisterError(h.State));
        Assert.Equal(4, h.Rpc.Requests.Count); // it stopped asking once it dropped the secret
        var problem = Assert.Throws<Keystore.Problems.ProblemException>(() => h.State.RequireMasterSecret());
        Assert.Equal(Keystore.Problems.ProblemTypes.NotReady, problem.Problem);
    }

    [Fact]
    public async Task A_worker_that_is_gone_twice_in_a_row_drops_the_secret_and_says_it_is_no_longer_listed()
    {
        using var h = new Harness(new ScriptedNearRpc([Status("unknown", 130), Status("unknown", 131)]));
        await h.RunUntilScriptIsUsedAsync();
        Assert.False(h.State.IsReady);
        Assert.Equal(WorkerRevocationMonitor.GoneReason, RegisterError(h.State));
    }

    private static JsonNode Registered(ulong height, DateTimeOffset lastSeen, TimeSpan ttl) => Result(new JsonObject
    {
        ["status"] = "registered",
        ["last_seen_ns"] = (ulong)(lastSeen - DateTimeOffset.UnixEpoch).Ticks * 100,
        ["idle_deadline_ns"] = (ulong)(lastSeen + ttl - DateTimeOffset.UnixEpoch).Ticks * 100,
    }, height);

    [Fact]
    public async Task A_serving_worker_sends_a_heartbeat_once_half_its_idle_time_is_used_up()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        TimeSpan ttl = TimeSpan.FromDays(30);
        using var h = new Harness(new ScriptedNearRpc([
            Registered(101, now - TimeSpan.FromDays(1), ttl),  // recently seen: nothing to do
            Registered(102, now - TimeSpan.FromDays(16), ttl), // past half its idle time: one heartbeat
            Registered(103, now, ttl),                         // the DAO saw it: nothing more
        ]));
        await h.RunUntilScriptIsUsedAsync();
        byte[] tx = Assert.Single(h.Rpc.Transactions);
        // The worker signs with its own key on the DAO account (borsh: signer id, then the ed25519 key).
        Assert.True(tx.AsSpan().IndexOf("dao.test.near"u8) >= 0);
        Assert.True(tx.AsSpan().IndexOf(h.Worker.Identity.PublicKey.Bytes.Span) >= 0);
        Assert.True(tx.AsSpan().IndexOf("worker_heartbeat"u8) >= 0);
        Assert.True(h.State.IsReady);
    }

    [Fact]
    public void The_tracker_counts_only_answers_at_or_after_the_newest_block_seen()
    {
        var t = new RevocationTracker();
        t.NotBefore(10);
        Assert.Equal(RevocationVerdict.Unknown, t.Observe(new DaoWorkerStatus(DaoWorkerState.UnknownWorker, 9)));
        Assert.Equal(RevocationVerdict.Revoked, t.Observe(new DaoWorkerStatus(DaoWorkerState.Revoked, 10)));
        Assert.False(t.ShouldDrop);
        Assert.Equal(RevocationVerdict.Unknown, t.Observe(new DaoWorkerStatus(DaoWorkerState.Revoked, 8)));
        Assert.False(t.ShouldDrop);
        Assert.Equal(RevocationVerdict.Revoked, t.Observe(new DaoWorkerStatus(DaoWorkerState.UnknownWorker, 10)));
        Assert.True(t.ShouldDrop);
        Assert.Equal(RevocationVerdict.Registered, t.Observe(new DaoWorkerStatus(DaoWorkerState.Registered, 11)));
        Assert.False(t.ShouldDrop);
    }

    [Fact]
    public void An_answer_from_further_ahead_than_the_chain_can_be_is_unknown_and_does_not_blind_the_tracker()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        var t = new RevocationTracker(clock);
        t.NotBefore(100_000_000);

        // A lying node's height near 2^64: taken, every honest answer after it would be "older" until restart.
        Assert.Equal(RevocationVerdict.Unknown, t.Observe(new DaoWorkerStatus(DaoWorkerState.Registered, ulong.MaxValue - 1)));
        Assert.Equal(100_000_000UL, t.NewestBlock);
        Assert.Equal(RevocationVerdict.Revoked, t.Observe(new DaoWorkerStatus(DaoWorkerState.Revoked, 100_000_030)));
        Assert.Equal(RevocationVerdict.Revoked, t.Observe(new DaoWorkerStatus(DaoWorkerState.Revoked, 100_000_060)));
        Assert.True(t.ShouldDrop);

        // An honest jump after a long silence is within what the chain can have made meanwhile.
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(RevocationVerdict.Registered, t.Observe(new DaoWorkerStatus(DaoWorkerState.Registered, 100_000_060 + 86_400)));
    }
}
