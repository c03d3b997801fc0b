using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Attestation.Dstack;

/// <summary>
/// Client of the dstack guest agent's JSON RPC (HTTP over its Unix socket, or HTTP for the simulator).
/// Every call has a timeout and fails with a <see cref="DstackClientException"/>.
/// </summary>
public sealed class DstackClient : IDisposable
{
    private readonly HttpClient _http;

    public DstackEndpoint Endpoint { get; }

    public DstackClient(DstackEndpoint? endpoint = null, TimeSpan? timeout = null)
    {
        Endpoint = endpoint ?? DstackEndpoint.Resolve();
        var handler = new SocketsHttpHandler();
        if (Endpoint.SocketPath is { } path)
        {
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        _http = new HttpClient(handler)
        {
            // The host name is irrelevant over a Unix socket; the agent routes by path only.
            BaseAddress = Endpoint.HttpBase ?? new Uri("http://localhost/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        RequestTimeout = timeout ?? TimeSpan.FromSeconds(10);
    }

    public TimeSpan RequestTimeout { get; }

    public async Task<GetQuoteResponse> GetQuoteAsync(ReadOnlyMemory<byte> reportData, CancellationToken ct)
    {
        if (reportData.Length > 64) throw new ArgumentException("report data is at most 64 bytes", nameof(reportData));
        var body = new JsonObject { ["report_data"] = Convert.ToHexStringLower(reportData.Span) };
        var r = await CallAsync<GetQuoteResponse>("GetQuote", HttpMethod.Post, body, ct);
        if (string.IsNullOrEmpty(r.Quote)) throw new DstackClientException("GetQuote", "response has no quote");
        return r;
    }

    // The agent answers Info on GET and POST; POST with "{}" is what the official SDKs send.
    public Task<InfoResponse> InfoAsync(CancellationToken ct) => CallAsync<InfoResponse>("Info", HttpMethod.Post, null, ct);

    public Task<GetKeyResponse> GetKeyAsync(string path, string purpose, CancellationToken ct) =>
        CallAsync<GetKeyResponse>("GetKey", HttpMethod.Post, new JsonObject { ["path"] = path, ["purpose"] = purpose }, ct);

    private async Task<T> CallAsync<T>(string method, HttpMethod verb, JsonObject? body, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(verb, method)
        {
            // The agent expects application/json on every request, including bodiless GETs.
            Content = new StringContent(body?.ToJsonString() ?? "{}", System.Text.Encoding.UTF8, "application/json"),
        };
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cts.Token);
            if (!response.IsSuccessStatusCode)
                throw new DstackClientException(method, $"HTTP {(int)response.StatusCode}", (int)response.StatusCode);
            return await response.Content.ReadFromJsonAsync<T>(cts.Token)
                ?? throw new DstackClientException(method, "empty response");
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new DstackClientException(method, $"timed out after {RequestTimeout.TotalSeconds:0.###} s", inner: new TimeoutException(e.Message, e));
        }
        catch (HttpRequestException e)
        {
            throw new DstackClientException(method, $"guest agent unreachable at {Endpoint}", inner: e);
        }
        catch (JsonException e)
        {
            throw new DstackClientException(method, "response is not the expected JSON", inner: e);
        }
    }

    public void Dispose() => _http.Dispose();
}
