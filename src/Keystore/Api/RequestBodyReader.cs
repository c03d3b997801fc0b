using System.Buffers;
using Keystore.Problems;

namespace Keystore.Api;

/// <summary>
/// Reads a request body whole, refusing it as soon as it passes the configured limit, so an
/// oversized body costs no more than the limit and never reaches a parser.
/// </summary>
public static class RequestBodyReader
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
            throw TooLarge(limit);
        if (request.ContentLength is long length)
            return await ReadExactlyAsync(request.Body, (int)length, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                    throw TooLarge(limit);
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// A body of declared length (most are): read straight into an array of that size. The server ends the body at the
    /// declared length, so it cannot run past it; one that ends early is a client error the server reports itself.
    /// </summary>
    private static async Task<byte[]> ReadExactlyAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        byte[] bytes = length == 0 ? [] : new byte[length];
        int read = await body.ReadAtLeastAsync(bytes, length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read < length)
            throw new ProblemException(ProblemTypes.InvalidRequest, $"The body ended after {read} of the {length} bytes its Content-Length announced.");
        return bytes;
    }

    private static ProblemException TooLarge(long limit) =>
        new(ProblemTypes.PayloadTooLarge, $"The body is larger than the limit of {limit} bytes (Keystore:MaxBodyBytes).");
}
