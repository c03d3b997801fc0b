using Keystore.Api;
using Keystore.Problems;
using Microsoft.AspNetCore.Http;

namespace Keystore.Tests.Api;

/// <summary>A body is read whole, with or without a declared length, and never past the configured limit.</summary>
public class RequestBodyReaderTests
{
    private static HttpRequest Request(byte[] body, long? declaredLength)
    {
        var context = new DefaultHttpContext();
        // A stream that hands out a few bytes a read, as a socket does.
        context.Request.Body = new TrickleStream(body);
        context.Request.ContentLength = declaredLength;
        return context.Request;
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(1000, true)]
    [InlineData(0, false)]
    [InlineData(1000, false)]
    public async Task A_body_is_read_whole_with_or_without_its_length_declared(int size, bool declared)
    {
        byte[] body = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();

        byte[] read = await RequestBodyReader.ReadAsync(Request(body, declared ? size : null), limit: 1000, CancellationToken.None);

        Assert.Equal(body, read);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_is_refused_with_413(bool declared)
    {
        var ex = await Assert.ThrowsAsync<ProblemException>(() =>
            RequestBodyReader.ReadAsync(Request(new byte[1001], declared ? 1001 : null), limit: 1000, CancellationToken.None));

        Assert.Equal(ProblemTypes.PayloadTooLarge, ex.Problem);
    }

    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 7)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 7), cancellationToken);
    }
}
