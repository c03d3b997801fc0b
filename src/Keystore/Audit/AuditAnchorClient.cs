using System.Text.Json.Nodes;
using Keystore.Boot;
using Keystore.Dao;
using Keystore.Near.Rpc;

namespace Keystore.Audit;

/// <summary>
/// The DAO's audit-anchor methods: <c>get_audit_anchor</c> (a view) and <c>anchor_audit_head</c>, sent with the worker's own
/// function-call key (the DAO lists it among the worker methods), so anchoring costs the operator nothing but the key's allowance.
/// </summary>
public sealed class AuditAnchorClient(NearConnection near, WorkerContext worker)
{
    /// <summary>One worker check and one small record rewritten: measured at about 3 Tgas on the local chain (see README).</summary>
    public const ulong AnchorGas = 20_000_000_000_000;

    private long _anchored = -1;

    /// <summary>The highest sequence this process saw anchored (-1 before it looked).</summary>
    public long LastAnchored => Interlocked.Read(ref _anchored);

    public void Saw(long sequence)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _anchored)) < sequence && Interlocked.CompareExchange(ref _anchored, sequence, seen) != seen) { }
    }

    /// <summary>The anchored head, or null when nothing was anchored yet.</summary>
    /// <exception cref="FormatException">The DAO answered something that is not an anchor.</exception>
    public async Task<AuditAnchor?> GetAnchorAsync(CancellationToken cancellationToken)
    {
        JsonNode? answer = await near.Rpc.CallFunctionJsonAsync(near.DaoContractId, "get_audit_anchor", "{}", cancellationToken).ConfigureAwait(false);
        return Parse(answer, near.DaoContractId);
    }

    public static AuditAnchor? Parse(JsonNode? answer, string dao)
    {
        if (answer is null) return null;
        try
        {
            byte[] hash = Convert.FromHexString(answer["hash"]!.GetValue<string>());
            if (hash.Length != AuditEntry.HashLength) throw new FormatException("hash is not 32 bytes");
            return new AuditAnchor(checked((long)answer["sequence"]!.GetValue<ulong>()), hash,
                answer["worker"]?.GetValue<string>() ?? "", answer["block_height"]?.GetValue<ulong>() ?? 0);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NullReferenceException or FormatException or OverflowException)
        {
            throw new FormatException($"{dao}.get_audit_anchor returned something that is not an anchor.", ex);
        }
    }

    public async Task<ExecutionOutcome> AnchorAsync(AuditHead head, CancellationToken cancellationToken)
    {
        ExecutionOutcome outcome = await worker.Sender.FunctionCallAsync(near.DaoContractId, "anchor_audit_head",
            new JsonObject { ["sequence"] = head.Sequence, ["hash"] = head.HashHex }.ToJsonString(), AnchorGas, 0, cancellationToken).ConfigureAwait(false);
        Saw(head.Sequence);
        return outcome;
    }
}
