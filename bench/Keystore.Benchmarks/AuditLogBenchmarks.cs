using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Keystore.Audit;
using Keystore.Configuration;
using Keystore.Near.Keys;
using Keystore.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Keystore.Benchmarks;

/// <summary>
/// The audit log's hot paths: <see cref="AuditLog.AppendAsync"/> as every decision makes it (read the head, hash, sign with
/// the audit key, seal, insert, in one transaction under the log's lock) on SQLite (a temporary file), the same with the
/// webhook dispatcher observing it (what the hook adds to a decision), and checking the chain as <c>verify-audit</c> does
/// (entries per second = 1 / the per-entry time). Run:
/// <c>dotnet run -c Release --project bench/Keystore.Benchmarks -- --filter *AuditLog* --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AuditLogBenchmarks
{
    private const int ChainLength = 1000;
    private static readonly AuditEvent Signed = new("alice.near", AuditKinds.Signed)
    {
        Agent = "ed25519:6E8sCci9badyRkXb3JoRpBj5p8C6Tw41ELDZoiihKEtp",
        Chain = "ethereum",
        Rule = "payments",
        PayloadHash = SHA256.HashData("payload"u8),
        Amounts = [KeyValuePair.Create("eth:1", "1000000000000000")],
        Destinations = ["0x9858EfFD232B4033E47d90003D41EC34EcaEda94"],
    };

    private BenchmarkStateStore _db = null!;
    private AuditKey _key = null!;
    private AuditLog _log = null!;
    private AuditLog _observedLog = null!;
    private WebhookDispatcher _dispatcher = null!;
    private IReadOnlyList<AuditEntry> _chain = null!;
    private Ed25519PublicKey _publicKey = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _db = await BenchmarkStateStore.OpenAsync("sqlite");
        IOptions<KeystoreOptions> options = Options.Create(_db.Options);
        _key = new AuditKey(_db.State);
        _log = new AuditLog(_db.Store, _key);
        _log.MarkChecked();
        // Not started: the queue only fills and drops its oldest, which is all a decision ever waits for.
        _dispatcher = new WebhookDispatcher(new WebhookStore(_db.Store), new WebhookAddressPolicy(options), options, TimeProvider.System, NullLogger<WebhookDispatcher>.Instance);
        _observedLog = new AuditLog(_db.Store, _key, [_dispatcher]);
        _observedLog.MarkChecked();
        for (int i = 0; i < ChainLength; i++)
            await _log.AppendAsync(Signed, CancellationToken.None);
        _chain = await _log.GetChainAsync(0, ChainLength, CancellationToken.None);
        _publicKey = Ed25519PublicKey.Parse(_key.PublicKeyText!);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _dispatcher.Dispose();
        _key.Dispose();
        await _db.DisposeAsync();
    }

    /// <summary>One decision recorded: head read, hash chain, ed25519 signature, sealing and the insert, committed.</summary>
    [Benchmark(Baseline = true)]
    public Task<AuditEntry> Append() => _log.AppendAsync(Signed, CancellationToken.None);

    /// <summary>The same with the webhook dispatcher told of the entry (a delivery built and queued).</summary>
    [Benchmark]
    public Task<AuditEntry> Append_observed_by_webhooks() => _observedLog.AppendAsync(Signed, CancellationToken.None);

    /// <summary>Per entry: sequence, prev, recomputed hash and the audit key's signature, as <c>verify-audit</c> checks a saved chain.</summary>
    [Benchmark(OperationsPerInvoke = ChainLength)]
    public object? Verify_chain_per_entry() => AuditChainVerifier.FirstBad(_publicKey, _chain);

    /// <summary>Per entry: reading the links from the store (<c>GET /v1/audit/chain</c>'s query) and verifying them.</summary>
    [Benchmark(OperationsPerInvoke = ChainLength)]
    public async Task<object?> Read_and_verify_chain_per_entry() =>
        AuditChainVerifier.FirstBad(_publicKey, await _log.GetChainAsync(0, ChainLength, CancellationToken.None));
}
