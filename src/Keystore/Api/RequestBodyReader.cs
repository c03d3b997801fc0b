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

    private static ProblemException TooLarge(long limit) =>
        new(ProblemTypes.PayloadTooLarge, $"The body is larger than the limit of {limit} bytes (Keystore:MaxBodyBytes).");
}
