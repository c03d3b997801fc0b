using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Keystore.Tests.Support;

/// <summary>
/// A NEAR JSON-RPC endpoint that answers every request with the bytes <paramref name="answer"/> gives for its method
/// (the body as it is, not wrapped in an envelope), so a test can send what no node would: any shape, any size.
/// </summary>
public sealed class RawNearRpc(Func<string, string> answer) : HttpMessageHandler
{
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        JsonNode body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(answer(body["method"]!.GetValue<string>()), Encoding.UTF8, "application/json"),
        };
    }
}
