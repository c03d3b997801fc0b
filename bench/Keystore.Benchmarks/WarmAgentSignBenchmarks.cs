using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Keystore.Agents;
using Keystore.Api;
using Keystore.Chains;
using Keystore.Chains.Bitcoin;
using Keystore.Chains.Ethereum;
using Keystore.Chains.Solana;
using Keystore.Derivation;
using Keystore.State;
using Microsoft.Extensions.Options;

namespace Keystore.Benchmarks;

/// <summary>
/// What policies and the sealed store add to a warm agent sign request (issue 13's goal: ≤ 100 µs p50 on SQLite): the
/// gate's evaluation (decode the body, the agent's policy, the account's caps), the reservation of its window charges
/// and their commit, on accounts that already have a busy day in their windows, with the windows the keystore uses on
/// each provider (SQLite: reserved in memory, one insert at commit; PostgreSQL: reserved in the database). The commit is
/// written in the transaction of the <c>signed</c> audit entry, which every sign request writes, an owner's too (as
/// <see cref="SigningGuard"/> does); so what the agent path adds is measured against that entry appended alone, in the
/// same loop. Also the NEP-413 nonce check every signed request makes. The signature itself is not included. SQLite on a temporary file; PostgreSQL from
/// <c>KEYSTORE_TEST_POSTGRES</c> (<c>eval "$(bash scripts/postgres-test-cluster.sh start)"</c>).
/// BenchmarkDotNet: <c>--filter *WarmAgentSign* --inProcess --job short</c> (the median is the p50). Per-phase p50s:
/// <c>dotnet run -c Release --project bench/Keystore.Benchmarks -- warm [iterations]</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class WarmAgentSignBenchmarks
{
    /// <summary>Accounts the requests rotate over, each with <see cref="HistoryPerAccount"/> committed requests already in its windows.</summary>
    public const int Accounts = 100;
    public const int HistoryPerAccount = 20;

    // An ERC-20 transfer built with ethers (see PolicyBenchmarks), under a policy shaped like a treasury bot's: an allow-list,
    // per-transaction, hourly, daily and monthly caps, a rate limit and a time-of-day window, plus an account-wide daily cap.
    // Each request also spends its fee (100,000 gas × 30 gwei = 0.003 ETH) against the ether caps, which are set high
    // enough, like the token's, that the many requests a run makes on one account are never refused.
    private static readonly byte[] EthereumBody = Encoding.UTF8.GetBytes("""
        {"transaction": {"type": 2, "chainId": "1", "nonce": "0x7", "to": "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", "value": "0x0", "data": "0xa9059cbb000000000000000000000000abababababababababababababababababababab000000000000000000000000000000000000000000000000000000000ee6b280", "gas": "0x186a0", "maxFeePerGas": "0x6fc23ac00", "maxPriorityFeePerGas": "0x3b9aca00"}}
        """);

    private const string AgentPolicyJson = """
        {"kind": "agent", "version": 1, "rules": [
          {"id": "bitcoin", "chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {"perTransaction": "1000000", "daily": "5000000"}}},
          {"id": "usdc", "chains": ["ethereum"], "operations": ["transaction", "typed-data"],
           "destinations": {"allow": ["0xabababababababababababababababababababab"], "deny": ["0x000000000000000000000000000000000000dEaD"]},
           "limits": {"eth:1": {"perTransaction": "100000000000000000", "daily": "500000000000000000000000"},
                      "eth:1:erc20:0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48": {"perTransaction": "1000000000", "hourly": "2000000000000000", "daily": "5000000000000000", "monthly": "50000000000000000"}},
           "requestsPerMinute": 1000000, "timeOfDay": [{"from": "00:00", "to": "23:59"}]}
        ]}
        """;

    private const string AccountPolicyJson = """
        {"kind": "account", "version": 1, "limits": {"eth:1": {"daily": "1000000000000000000000000"}}, "requestsPerMinute": 1000000}
        """;

    private static readonly byte[] BitcoinBody = Encoding.UTF8.GetBytes("""
        {"psbt": "cHNidP8BAP1MAQIAAAACHx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQAAAAAAAP/////g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/wMAAAAA/////wcQJwAAAAAAABYAFJou0OeBGdwiQPpzRQoPDSR8VoQcIE4AAAAAAAAiUSCbDyOzXB4P88M0qLzJZwLglF8widAytez2JV80dGlDNzB1AAAAAAAAGXapFJou0OeBGdwiQPpzRQoPDSR8VoQciKxAnAAAAAAAABepFNVEQYOfZqMNSd0UOXSS0SNdz/Y5h1DDAAAAAAAAIgAgeku+AlxiNOkA8O8C8j5E3ynF56/aV2fV/LqJWHa3wJAYcwEAAAAAACJRIEqVdw7/ySPb6BJelRqOD3pmeuFRLqxKkz2L6W+9WREnAAAAAAAAAAAFagMBAgMAAAAAAAEBK0ANAwAAAAAAIlEgSpV3Dv/JI9voEl6VGo4PemZ64VEurEqTPYvpb71ZEScBFyCEv3ViJiu9aUAIV0jzvmr6Uq4xcVUYHs4xtmNRzP+ksAABAStQwwAAAAAAACJRIHtX82LpKUYUX7muwPoHPG89I71fajiazuYcA+xmBlBRAAAAAAAAAAA="}
        """);

    private BenchmarkStateStore _db = null!;
    private StateStore _store = null!;
    private Audit.AuditKey _auditKey = null!;
    private Audit.AuditLog _audit = null!;
    private ISpendingWindows _windows = null!;
    private NonceStore _nonces = null!;
    private DerivedKeyCache _keys = null!;
    private PolicyEngineSigningGate _gate = null!;
    private AgentRecord _agent = null!;
    private AccountPolicy _accountPolicy = null!;
    private int _next;

    [Params("sqlite", "postgres")]
    public string Provider { get; set; } = "sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _db = await BenchmarkStateStore.OpenAsync(Provider);
        _store = _db.Store;
        _windows = _db.Windows();
        _auditKey = new Audit.AuditKey(_db.State);
        _audit = new Audit.AuditLog(_store, _auditKey);
        _audit.MarkChecked();
        _nonces = new NonceStore(_store);
        _keys = new DerivedKeyCache(1000, TimeSpan.FromMinutes(30), TimeProvider.System);
        var chains = ChainSignerRegistry.Create(BitcoinNetwork.Mainnet);
        _gate = new PolicyEngineSigningGate(_db.State, chains, _keys, Options.Create(_db.Options));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        _agent = new AgentRecord("ed25519:8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH", "bench", now, now, now.AddYears(1), AgentPolicyJson, 1);
        _accountPolicy = new AccountPolicy(false, AccountPolicyJson, 1, now);
        for (int a = 0; a < Accounts; a++)
            for (int i = 0; i < HistoryPerAccount; i++)
                await SignAsync(a);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _db.DisposeAsync();
        _auditKey.Dispose();
        _keys.Dispose();
    }

    /// <summary>Gate evaluation, reservation and commit (with the <c>signed</c> audit entry) of one ERC-20 transfer by an agent whose account has a busy day behind it.</summary>
    [Benchmark]
    public Task Evaluate_reserve_commit() => SignAsync(Interlocked.Increment(ref _next) % Accounts);

    /// <summary>The <c>signed</c> audit entry alone, as an owner's request writes it: the baseline the line above adds to.</summary>
    [Benchmark(Baseline = true)]
    public Task Signed_entry_alone() => _audit.AppendAsync(Signed(AccountName(Interlocked.Increment(ref _next) % Accounts)), CancellationToken.None);

    /// <summary>One NEP-413 nonce accepted.</summary>
    [Benchmark]
    public Task<Auth.NonceUse> Nonce_check() =>
        _nonces.TryUseAsync(AccountName(Interlocked.Increment(ref _next) % Accounts), RandomNumberGenerator.GetBytes(32), agentKey: false, RandomNumberGenerator.GetBytes(32),
            DateTimeOffset.UtcNow.AddMinutes(5), 10_000, CancellationToken.None);

    private static string AccountName(int index) => "agent-bench-" + index + ".near";

    private static readonly byte[] EthereumBodyHash = SHA256.HashData(EthereumBody);

    /// <summary>The entry a signed request appends: an owner's, or with <paramref name="decision"/> an agent's, naming what it moves (as <see cref="SigningGuard"/> records it).</summary>
    private Audit.AuditEvent Signed(string account, AgentGateDecision? decision = null) =>
        new(account, Audit.AuditKinds.Signed)
        {
            Agent = decision is null ? null : _agent.PublicKey,
            Chain = "ethereum",
            PayloadHash = EthereumBodyHash,
            Amounts = decision is null ? [] : decision.AuditAmounts(),
        };

    private async Task SignAsync(int index)
    {
        string account = AccountName(index);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        AgentGateDecision decision = await _gate.EvaluateAsync(new AgentSigningRequest(account, _agent, _accountPolicy, "ethereum", EthereumBody, DryRun: false, now), CancellationToken.None);
        if (!decision.Allowed) throw new InvalidOperationException(decision.Message);
        WindowReservation reservation = await _windows.ReserveAsync(account, decision.Charges, now);
        if (!reservation.Reserved) throw new InvalidOperationException("refused: " + reservation.Exceeded!.Charge.RuleId);
        await _audit.AppendAsync(Signed(account, decision), _windows.Commit(reservation), CancellationToken.None);
    }

    private async Task<double> TimeEntryAloneAsync(string account)
    {
        long start = Stopwatch.GetTimestamp();
        await _audit.AppendAsync(Signed(account), CancellationToken.None);
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    /// <summary>
    /// Where a reservation's time goes, by the store's own parts through its public API: an empty write transaction (the
    /// account's lock: <c>BEGIN IMMEDIATE</c> + <c>COMMIT</c> on SQLite, the advisory lock on PostgreSQL), the read of an
    /// account's window rows, a write transaction with one insert, and the keyed hash naming the account.
    /// </summary>
    private async Task BreakDownStoreAsync(int iterations)
    {
        var empty = new List<double>(iterations);
        var read = new List<double>(iterations);
        var insert = new List<double>(iterations);
        var hash = new List<double>(iterations);
        int rows = 0;
        for (int i = 0; i < iterations; i++)
        {
            long h0 = Stopwatch.GetTimestamp();
            byte[] accountId = _store.AccountId(AccountName(i % Accounts));
            hash.Add(Stopwatch.GetElapsedTime(h0).TotalMicroseconds);

            long e0 = Stopwatch.GetTimestamp();
            await _store.WriteAsync(accountId, (_, _) => Task.FromResult(0), CancellationToken.None);
            empty.Add(Stopwatch.GetElapsedTime(e0).TotalMicroseconds);

            long r0 = Stopwatch.GetTimestamp();
            rows = await _store.ReadAsync(async connection =>
            {
                int count = 0;
                await using System.Data.Common.DbCommand command = StateDatabase.Command(connection, null,
                    "SELECT reservation_id, sealed FROM reservations WHERE account_id = @a AND keep_until >= @now", ("@a", accountId), ("@now", _store.NowMs));
                await using System.Data.Common.DbDataReader reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    _ = (byte[])reader.GetValue(0);
                    _ = (byte[])reader.GetValue(1);
                    count++;
                }
                return count;
            }, CancellationToken.None);
            read.Add(Stopwatch.GetElapsedTime(r0).TotalMicroseconds);

            // A row that is already expired (the next prune takes it) in a made-up account, the size of a real one.
            byte[] other = RandomNumberGenerator.GetBytes(32);
            long w0 = Stopwatch.GetTimestamp();
            await _store.WriteAsync(other, (connection, transaction) => StateDatabase.ExecuteAsync(connection, transaction,
                "INSERT INTO reservations (reservation_id, account_id, keep_until, sealed) VALUES (@id, @a, @k, @s)", CancellationToken.None,
                ("@id", RandomNumberGenerator.GetBytes(16)), ("@a", other), ("@k", 0L), ("@s", RandomNumberGenerator.GetBytes(200))), CancellationToken.None);
            insert.Add(Stopwatch.GetElapsedTime(w0).TotalMicroseconds);
        }
        Console.WriteLine($"  breakdown of the store ({rows} window rows per account at the end), µs:");
        foreach ((string name, List<double> samples) in new[]
        {
            ("account id (keyed hash)", hash), ("empty write transaction", empty), ("read the window rows (uncached)", read), ("write transaction, one insert", insert),
        })
        {
            samples.Sort();
            Console.WriteLine($"    {name,-30} p50 {samples[samples.Count / 2],9:F1}   p90 {samples[samples.Count * 9 / 10],9:F1}");
        }
    }

    /// <summary>
    /// <c>warm [iterations]</c>: the p50 and p90 of each phase (evaluation, reserve, commit, their sum; the nonce check; a
    /// Bitcoin PSBT's evaluation, which derives the account's own addresses) over many warm requests, on SQLite and, when
    /// <c>KEYSTORE_TEST_POSTGRES</c> is set, PostgreSQL. Wall-clock time on whatever else the machine runs.
    /// </summary>
    public static async Task<int> MeasureAsync(int iterations)
    {
        var providers = new List<string> { "sqlite" };
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KEYSTORE_TEST_POSTGRES"))) providers.Add("postgres");
        foreach (string provider in providers)
        {
            var bench = new WarmAgentSignBenchmarks { Provider = provider };
            await bench.SetupAsync();
            try
            {
                var evaluate = new List<double>(iterations);
                var reserve = new List<double>(iterations);
                var seal = new List<double>(iterations);
                var commit = new List<double>(iterations);
                var total = new List<double>(iterations);
                var alone = new List<double>(iterations);
                var added = new List<double>(iterations);
                var nonce = new List<double>(iterations);
                var bitcoin = new List<double>(iterations);
                // The request path alone first (an agent's request and an owner's entry, alternating which goes first, so
                // both see the same machine), then the nonce checks and Bitcoin evaluations, so each loop measures one thing.
                for (int i = 0; i < iterations; i++)
                {
                    string account = AccountName(i % Accounts);
                    double owner = 0;
                    if (i % 2 == 0) owner = await bench.TimeEntryAloneAsync(account);
                    DateTimeOffset now = DateTimeOffset.UtcNow;
                    long t0 = Stopwatch.GetTimestamp();
                    AgentGateDecision decision = await bench._gate.EvaluateAsync(new AgentSigningRequest(account, bench._agent, bench._accountPolicy, "ethereum", EthereumBody, DryRun: false, now), CancellationToken.None);
                    long t1 = Stopwatch.GetTimestamp();
                    WindowReservation reservation = await bench._windows.ReserveAsync(account, decision.Charges, now);
                    long t2 = Stopwatch.GetTimestamp();
                    StateChange? change = bench._windows.Commit(reservation);
                    long t2b = Stopwatch.GetTimestamp();
                    await bench._audit.AppendAsync(bench.Signed(account, decision), change, CancellationToken.None);
                    long t3 = Stopwatch.GetTimestamp();
                    if (!reservation.Reserved) throw new InvalidOperationException("refused: " + reservation.Exceeded!.Charge.RuleId);
                    if (i % 2 == 1) owner = await bench.TimeEntryAloneAsync(account);
                    evaluate.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMicroseconds);
                    reserve.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMicroseconds);
                    seal.Add(Stopwatch.GetElapsedTime(t2, t2b).TotalMicroseconds);
                    commit.Add(Stopwatch.GetElapsedTime(t2b, t3).TotalMicroseconds);
                    total.Add(Stopwatch.GetElapsedTime(t0, t3).TotalMicroseconds);
                    alone.Add(owner);
                    added.Add(Stopwatch.GetElapsedTime(t0, t3).TotalMicroseconds - owner);
                }
                for (int i = 0; i < iterations; i++)
                {
                    string account = AccountName(i % Accounts);
                    DateTimeOffset now = DateTimeOffset.UtcNow;
                    byte[] key = RandomNumberGenerator.GetBytes(32), nonceBytes = RandomNumberGenerator.GetBytes(32);
                    long n0 = Stopwatch.GetTimestamp();
                    await bench._nonces.TryUseAsync(account, key, agentKey: false, nonceBytes, now.AddMinutes(5), 10_000, CancellationToken.None);
                    nonce.Add(Stopwatch.GetElapsedTime(n0).TotalMicroseconds);
                    if (i % 4 != 0) continue;
                    long b0 = Stopwatch.GetTimestamp();
                    await bench._gate.EvaluateAsync(new AgentSigningRequest(account, bench._agent, bench._accountPolicy, "bitcoin", BitcoinBody, DryRun: true, now), CancellationToken.None);
                    bitcoin.Add(Stopwatch.GetElapsedTime(b0).TotalMicroseconds);
                }
                Console.WriteLine($"{provider}: {iterations} warm requests over {Accounts} accounts ({HistoryPerAccount} to {HistoryPerAccount + iterations / Accounts} committed requests each in the windows), µs:");
                foreach ((string name, List<double> samples) in new[]
                {
                    ("evaluation (ethereum erc20)", evaluate), ("reserve", reserve), ("commit sealed", seal), ("signed entry + commit", commit), ("evaluation + reserve + entry + commit", total),
                    ("signed entry alone (owner)", alone), ("added, paired per request", added), ("nonce check", nonce), ("evaluation (bitcoin psbt)", bitcoin),
                })
                {
                    samples.Sort();
                    Console.WriteLine($"  {name,-38} p50 {samples[samples.Count / 2],9:F1}   p90 {samples[samples.Count * 9 / 10],9:F1}");
                }
                Console.WriteLine($"  added by policy and windows (p50 of the agent path - p50 of the entry alone): {total[total.Count / 2] - alone[alone.Count / 2]:F1} µs");
                await bench.BreakDownStoreAsync(Math.Min(iterations, 1000));
            }
            finally
            {
                await bench.CleanupAsync();
            }
        }
        return 0;
    }
}
