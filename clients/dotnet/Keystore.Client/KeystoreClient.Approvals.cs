using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>
/// Requests waiting for m-of-n approvals. The owner lists and cancels them; the agent that asked reads its own; an approver
/// is a client made with the approver's own NEAR account and full-access key (<c>new KeystoreClient(http, "bob.near", bobKey)</c>)
/// that reads and votes on <em>another</em> account's requests, so these methods take that account.
/// </summary>
public sealed partial class KeystoreClient
{
    /// <summary>The default wait between two reads in <see cref="WaitForApprovalAsync"/>.</summary>
    public static readonly TimeSpan DefaultApprovalPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The open approval requests of this client's account, oldest first (owner keys only). <paramref name="cursor"/> is a page's <see cref="ApprovalPage.Next"/>.</summary>
    public async Task<ApprovalPage> ListApprovalsAsync(int? limit = null, string? cursor = null, CancellationToken ct = default)
    {
        var parameters = new List<string>();
        if (limit is { } l) parameters.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        if (cursor is not null) parameters.Add("cursor=" + Uri.EscapeDataString(cursor));
        string path = $"{AccountPath}/approvals" + (parameters.Count == 0 ? "" : "?" + string.Join('&', parameters));
        JsonNode answer = await SendAsync(HttpMethod.Get, path, null, signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.ApprovalPage)!;
    }

    /// <summary>
    /// One approval request with the exact body it would sign (<see cref="ApprovalRequest.Body"/>, parsed in <see cref="ApprovalRequest.Request"/>) and, once signed, its
    /// <see cref="ApprovalRequest.Result"/>. <paramref name="account"/> is the account the request belongs to (default: this
    /// client's): an approver names the account it approves for.
    /// </summary>
    public async Task<ApprovalRequest> GetApprovalAsync(string id, string? account = null, CancellationToken ct = default)
    {
        JsonNode answer = await SendAsync(HttpMethod.Get, ApprovalPath(account ?? AccountId, id), null, signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.ApprovalRequest)!;
    }

    /// <summary>
    /// Approves <paramref name="account"/>'s request <paramref name="id"/> as this client's account (an approver the rule
    /// names). <paramref name="payloadHash"/> is the SHA-256 of the body approved (<see cref="PayloadHashOf(ApprovalRequest)"/> of the
    /// request read, which is its <see cref="ApprovalRequest.PayloadHash"/> when <see cref="ApprovalRequest.BodyMatchesPayloadHash"/>, or
    /// <see cref="PayloadHashOf(ReadOnlySpan{byte})"/> of the body you expect): another hash is 409 <c>payload-mismatch</c> and
    /// counts nothing. At the m-th approval the answer is signed and holds the result.
    /// </summary>
    public Task<ApprovalRequest> ApproveAsync(string account, string id, string payloadHash, CancellationToken ct = default) =>
        VoteAsync(account, id, payloadHash, "approve", ct);

    /// <summary>Rejects <paramref name="account"/>'s request <paramref name="id"/> (see <see cref="ApproveAsync"/>).</summary>
    public Task<ApprovalRequest> RejectAsync(string account, string id, string payloadHash, CancellationToken ct = default) =>
        VoteAsync(account, id, payloadHash, "reject", ct);

    /// <summary>Cancels one of this account's pending requests (owner keys only): it takes no vote after this and signs nothing.</summary>
    public async Task<ApprovalRequest> CancelApprovalAsync(string id, CancellationToken ct = default)
    {
        JsonNode answer = await SendAsync(HttpMethod.Delete, ApprovalPath(AccountId, id), null, signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.ApprovalRequest)!;
    }

    /// <summary>
    /// Reads the request every <paramref name="pollInterval"/> until it is no longer open (signed, exported, rejected,
    /// cancelled, expired, denied or failed) and returns it. After <paramref name="timeout"/> (default: none, only
    /// <paramref name="ct"/>) a <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<ApprovalRequest> WaitForApprovalAsync(string id, string? account = null, TimeSpan? pollInterval = null, TimeSpan? timeout = null,
        CancellationToken ct = default)
    {
        TimeSpan interval = pollInterval ?? DefaultApprovalPollInterval;
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(pollInterval), "The poll interval must be positive.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } t) deadline.CancelAfter(t);
        try
        {
            while (true)
            {
                ApprovalRequest request = await GetApprovalAsync(id, account, deadline.Token).ConfigureAwait(false);
                if (!request.IsOpen) return request;
                await Task.Delay(interval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Approval request {id} was still open after {timeout}.");
        }
    }

    /// <summary>
    /// Waits as <see cref="WaitForApprovalAsync"/> and returns what the sign (or export) route would have answered: read it with
    /// <see cref="ApprovalRequest.ResultAs{T}"/>'s types (<c>result.Deserialize(…)</c>) or as JSON. A request that ended
    /// without a result for this caller throws <see cref="ApprovalEndedException"/>.
    /// </summary>
    public async Task<JsonObject> WaitForApprovalResultAsync(string id, string? account = null, TimeSpan? pollInterval = null, TimeSpan? timeout = null,
        CancellationToken ct = default)
    {
        ApprovalRequest request = await WaitForApprovalAsync(id, account, pollInterval, timeout, ct).ConfigureAwait(false);
        return request.Result ?? throw new ApprovalEndedException(request);
    }

    /// <summary>The SHA-256 (lowercase hex) of a request body: the payload hash a vote names.</summary>
    public static string PayloadHashOf(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>
    /// The SHA-256 (lowercase hex) of the exact body a request read by <see cref="GetApprovalAsync"/> shows
    /// (<see cref="ApprovalRequest.Body"/>, not <see cref="ApprovalRequest.Request"/>, whose re-serialized bytes can hash differently).
    /// </summary>
    /// <exception cref="ArgumentException">The request shows no body (it was not read by id).</exception>
    public static string PayloadHashOf(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] body = request.ExactBody() ?? throw new ArgumentException("This approval request shows no body; read it with GetApprovalAsync.", nameof(request));
        return PayloadHashOf(body);
    }

    private async Task<ApprovalRequest> VoteAsync(string account, string id, string payloadHash, string vote, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        ArgumentNullException.ThrowIfNull(payloadHash);
        byte[] body = Encoding.UTF8.GetBytes(new JsonObject { ["payloadHash"] = payloadHash }.ToJsonString());
        JsonNode answer = await SendAsync(HttpMethod.Post, $"{ApprovalPath(account, id)}/{vote}", body, signed: true, ct).ConfigureAwait(false);
        return answer.Deserialize(ClientJsonContext.Default.ApprovalRequest)!;
    }

    private static string ApprovalPath(string account, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        ArgumentException.ThrowIfNullOrEmpty(id);
        // The id goes into the path as written (the keystore makes 22 base64url characters): anything else could change the route.
        if (!id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException("An approval request id is base64url (the 'id' of the request).", nameof(id));
        return $"/v1/accounts/{Uri.EscapeDataString(account)}/approvals/{id}";
    }
}
