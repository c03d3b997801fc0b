using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Problems;

namespace Keystore.Hosting;

/// <summary>
/// The connection's output, held back until each flush so that one kind of response can be completed: the
/// bodiless 4xx that Kestrel writes itself when it refuses a request before any application code runs (a
/// <c>%00</c> in the path, a malformed request line or header). Kestrel offers no hook for those, and they
/// are the only responses with no <c>Content-Type</c>, <c>Content-Length: 0</c> and <c>Connection: close</c>
/// (every response of the keystore has a JSON body), so they are recognised exactly and given the same
/// problem+json body as every other error. Everything else passes through unchanged.
/// </summary>
internal sealed class RejectionProblemWriter(PipeWriter inner) : PipeWriter
{
    private static readonly byte[] StatusLinePrefix = "HTTP/1.1 4"u8.ToArray();
    private static readonly byte[] EmptyLength = "\r\nContent-Length: 0\r\n"u8.ToArray();
    private static readonly byte[] ConnectionClose = "\r\nConnection: close\r\n"u8.ToArray();
    private static readonly byte[] ContentType = "\r\nContent-Type:"u8.ToArray();
    private static readonly byte[] EndOfHeaders = "\r\n\r\n"u8.ToArray();

    private readonly ArrayBufferWriter<byte> _pending = new(4096);

    public override void Advance(int bytes) => _pending.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    // Kestrel and System.Text.Json ask how much waits for a flush to decide when to flush.
    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _pending.WrittenCount + (inner.CanGetUnflushedBytes ? inner.UnflushedBytes : 0);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        MovePending();
        return inner.FlushAsync(cancellationToken);
    }

    public override void Complete(Exception? exception = null)
    {
        MovePending();
        inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        MovePending();
        return inner.CompleteAsync(exception);
    }

    private void MovePending()
    {
        if (_pending.WrittenCount == 0) return;
        ReadOnlySpan<byte> chunk = _pending.WrittenSpan;
        if (IsServerRejection(chunk))
            inner.Write(WithProblemBody(chunk));
        else
            inner.Write(chunk);
        _pending.ResetWrittenCount();
    }

    internal static bool IsServerRejection(ReadOnlySpan<byte> chunk) =>
        chunk.StartsWith(StatusLinePrefix)
        && chunk.EndsWith(EndOfHeaders)
        && chunk.IndexOf(EndOfHeaders) == chunk.Length - EndOfHeaders.Length
        && chunk.IndexOf(EmptyLength) >= 0
        && chunk.IndexOf(ConnectionClose) >= 0
        && chunk.IndexOf(ContentType) < 0;

    private static byte[] WithProblemBody(ReadOnlySpan<byte> headers)
    {
        int status = (headers[9] - '0') * 100 + (headers[10] - '0') * 10 + (headers[11] - '0');
        ProblemType type = ProblemTypes.ForStatus(status);
        byte[] body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["type"] = type.Uri,
            ["title"] = type.Title,
            ["status"] = status,
            ["detail"] = "The HTTP server refused the request before the keystore read it: a malformed request line, path (such as %00) or header.",
        }.ToJsonString());
        string head = Encoding.ASCII.GetString(headers[..^EndOfHeaders.Length])
            .Replace("\r\nContent-Length: 0", $"\r\nContent-Length: {body.Length}", StringComparison.Ordinal);
        return [.. Encoding.ASCII.GetBytes(head + "\r\nContent-Type: application/problem+json\r\n\r\n"), .. body];
    }
}
