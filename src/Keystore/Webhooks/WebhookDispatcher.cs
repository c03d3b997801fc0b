using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Threading.Channels;
using Keystore.Audit;
using Keystore.Configuration;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Webhooks;

/// <summary>
/// Posts audit entries to the accounts' webhooks, in the background. The audit log hands each committed entry to
/// <see cref="Appended"/>, which only queues it (a bounded queue that drops the oldest when full; nothing for an account
/// the store recently found without a webhook, see <see cref="WebhookStore.KnownWithoutWebhook"/>), so a webhook never
/// delays or fails a decision. Each batch taken from the queue reads each account's webhook once, skips kinds it did not ask for, and posts the
/// signed body with a per-attempt timeout, retrying with exponential backoff up to <c>MaxAttempts</c>. Redirects are not
/// followed and every connection goes through <see cref="WebhookAddressPolicy.ConnectAsync"/>.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService, IAuditObserver
{
    private static readonly TimeSpan DropWarningEvery = TimeSpan.FromSeconds(10);
    private readonly Channel<WebhookDelivery> _queue;
    private readonly WebhookStore _store;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _slots;
    private long _dropped;
    private long _droppedWarned;
    private long _lastDropWarningMs = long.MinValue;

    public WebhookDispatcher(WebhookStore store, WebhookAddressPolicy addresses, IOptions<KeystoreOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
    {
        _store = store;
        _options = options.Value.Webhooks;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<WebhookDelivery>(
            new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            Dropped);
        _slots = new SemaphoreSlim(_options.MaxConcurrentDeliveries);
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = addresses.ConnectAsync,
            ConnectTimeout = _options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = 16,
        })
        { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = 64 * 1024 };
    }

    /// <summary>Deliveries dropped because the queue was full, since start.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    public void Appended(AuditEvent decision, AuditEntry entry)
    {
        // Most accounts have no webhook: their entries cost neither a delivery built and queued nor a read of the store.
        if (_store.KnownWithoutWebhook(decision.Account))
            return;
        _queue.Writer.TryWrite(WebhookDelivery.From(decision, entry));
        WebhookMetrics.Queued.Set(_queue.Reader.Count);
    }

    private void Dropped(WebhookDelivery delivery)
    {
        long dropped = Interlocked.Increment(ref _dropped);
        WebhookMetrics.Deliveries.WithLabels("dropped").Inc();
        // One warning per interval, with the count, rather than one per dropped event under a flood.
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        long last = Interlocked.Read(ref _lastDropWarningMs);
        if (now - last >= DropWarningEvery.TotalMilliseconds && Interlocked.CompareExchange(ref _lastDropWarningMs, now, last) == last)
        {
            long since = dropped - Interlocked.Exchange(ref _droppedWarned, dropped);
            _logger.LogWarning("Webhook queue full ({Capacity}): dropped {Count} oldest deliveries (the latest: {Kind} at sequence {Sequence}).",
                _options.QueueCapacity, since, delivery.Kind, delivery.Sequence);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<WebhookDelivery>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out WebhookDelivery? queued))
                    batch.Add(queued);
                WebhookMetrics.Queued.Set(_queue.Reader.Count);
                // Every decision is queued here, mostly for accounts without a webhook: under load one read of an account's
                // webhook serves all its entries queued meanwhile, instead of one read a signature on the store's connection.
                foreach (IGrouping<string, WebhookDelivery> account in batch.GroupBy(d => d.Account, StringComparer.Ordinal))
                {
                    WebhookRegistration? webhook = await ReadAsync(account.First(), stoppingToken).ConfigureAwait(false);
                    if (webhook is null)
                        continue;
                    try
                    {
                        foreach (WebhookDelivery delivery in account)
                        {
                            if (!webhook.Events.Contains(delivery.Kind, StringComparer.Ordinal))
                                continue;
                            // Each send owns its copy of the key, wiped when it is done.
                            WebhookRegistration own = webhook with { Secret = webhook.Secret.ToArray() };
                            await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
                            _ = Task.Run(async () =>
                            {
                                try
                                {
                                    await SendWithRetriesAsync(delivery, own, stoppingToken).ConfigureAwait(false);
                                }
                                finally
                                {
                                    CryptographicOperations.ZeroMemory(own.Secret);
                                    _slots.Release();
                                }
                            }, CancellationToken.None);
                        }
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(webhook.Secret);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Deliveries taken from the queue at once; their accounts' webhooks are read once a batch.</summary>
    private const int MaxBatch = 256;

    /// <summary>Sends one delivery to its account's webhook, if it has one that asked for this kind; never throws.</summary>
    public async Task DeliverAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        WebhookRegistration? webhook = await ReadAsync(delivery, cancellationToken).ConfigureAwait(false);
        if (webhook is null || !webhook.Events.Contains(delivery.Kind, StringComparer.Ordinal))
            return;
        try
        {
            await SendWithRetriesAsync(delivery, webhook, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(webhook.Secret);
        }
    }

    /// <summary>The delivery's account's webhook, read through (a change holds at once on every instance); null when it has none or the store failed.</summary>
    private async Task<WebhookRegistration?> ReadAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.GetAsync(delivery.Account, cancellationToken).ConfigureAwait(false);
        }
        catch (ProblemException ex)
        {
            _logger.LogWarning("Webhook for {Kind} at sequence {Sequence} not sent: the store answered {Problem}.", delivery.Kind, delivery.Sequence, ex.Problem.Slug);
            WebhookMetrics.Deliveries.WithLabels("failed").Inc();
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task SendWithRetriesAsync(WebhookDelivery delivery, WebhookRegistration webhook, CancellationToken cancellationToken)
    {
        var target = new Uri(webhook.Url);
        string outcome = "";
        for (int attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                WebhookMetrics.Deliveries.WithLabels("retried").Inc();
                try
                {
                    await Task.Delay(Backoff(attempt - 1), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_options.Timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(delivery.Body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Create(webhook.Secret, _time.GetUtcNow().ToUnixTimeSeconds(), delivery.Body));
                request.Headers.TryAddWithoutValidation(WebhookSignature.EventHeader, delivery.Kind);
                request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryHeader, delivery.Id);
                using HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    WebhookMetrics.Deliveries.WithLabels("delivered").Inc();
                    return;
                }
                outcome = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex) when (ex.InnerException is WebhookAddressRefusedException || ex.InnerException?.InnerException is WebhookAddressRefusedException)
            {
                WebhookMetrics.Deliveries.WithLabels("refused").Inc();
                _logger.LogWarning("Webhook to {Host} for {Kind} at sequence {Sequence} refused: the host resolves to an address webhooks may not reach.",
                    target.Host, delivery.Kind, delivery.Sequence);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
            {
                outcome = ex is OperationCanceledException ? "timeout" : "connection failed";
            }
        }
        WebhookMetrics.Deliveries.WithLabels("failed").Inc();
        _logger.LogWarning("Webhook to {Host} for {Kind} at sequence {Sequence} given up after {Attempts} attempts (last: {Outcome}).",
            target.Host, delivery.Kind, delivery.Sequence, _options.MaxAttempts, outcome);
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt: RetryDelay · 2^(failures−1), at most MaxRetryDelay.</summary>
    public TimeSpan Backoff(int failures)
    {
        double ms = _options.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, _options.MaxRetryDelay.TotalMilliseconds));
    }

    public override void Dispose()
    {
        // _slots stays: a delivery still finishing releases its slot after the host stopped.
        _client.Dispose();
        base.Dispose();
    }
}
