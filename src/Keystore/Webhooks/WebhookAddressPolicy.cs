using System.Net;
using System.Net.Sockets;
using Keystore.Problems;
using Microsoft.Extensions.Options;

namespace Keystore.Webhooks;

/// <summary>
/// Where a webhook may point, so that an owner cannot make the keystore reach into its own network (SSRF): https only, no
/// credentials in the URL, and every address the host resolves to must be a public unicast address (not loopback,
/// private, link-local such as the cloud metadata service 169.254.169.254, carrier-grade NAT, multicast, reserved or
/// documentation ranges, nor an IPv6 form that embeds one of these). The same check runs again at every connection
/// (<see cref="ConnectAsync"/>), so a name that later resolves elsewhere (DNS rebinding) is refused then too.
/// </summary>
public sealed class WebhookAddressPolicy(IOptions<Configuration.KeystoreOptions> options)
{
    public const int MaxUrlLength = 2048;
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    private bool AllowLoopback => options.Value.Webhooks.AllowInsecureLoopback;

    /// <summary>The URL, parsed, when it may be used; otherwise 400 <c>webhook-url-refused</c> saying why.</summary>
    public async Task<Uri> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (url.Length is 0 or > MaxUrlLength)
            throw Refused($"url must be 1 to {MaxUrlLength} characters.");
        if (url.Any(char.IsControl) || url.Contains(' ', StringComparison.Ordinal))
            throw Refused("url must not contain spaces or control characters.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host))
            throw Refused("url must be an absolute https URL.");
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && AllowLoopback))
            throw Refused("url must use https.");
        if (uri.UserInfo.Length != 0)
            throw Refused("url must not carry a user name or password; put a token in the path if the receiver needs one.");
        if (uri.Fragment.Length != 0)
            throw Refused("url must not have a fragment.");
        IPAddress[] addresses = await ResolveAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false);
        if (uri.Scheme == Uri.UriSchemeHttp && !addresses.All(IPAddress.IsLoopback))
            throw Refused("http is allowed for loopback addresses only (Keystore:Webhooks:AllowInsecureLoopback); use https.");
        return uri;
    }

    /// <summary>The addresses of <paramref name="host"/>, each one allowed; otherwise 400 <c>webhook-url-refused</c>.</summary>
    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await AddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ArgumentException && !cancellationToken.IsCancellationRequested)
        {
            throw Refused($"the host '{host}' does not resolve.");
        }
        if (addresses.Length == 0)
            throw Refused($"the host '{host}' does not resolve.");
        if (addresses.FirstOrDefault(a => !IsAllowed(a, AllowLoopback)) is { } bad)
            throw Refused($"the host '{host}' resolves to {bad}, which is not a public address.");
        return addresses;
    }

    private static async Task<IPAddress[]> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        string bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(bare, out IPAddress? literal))
            return [literal];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ResolveTimeout);
        return await Dns.GetHostAddressesAsync(bare, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// The delivery client's connect step: resolves the host again and connects only when every address is allowed, so
    /// the check holds at the moment of the connection, not only when the URL was stored.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = await AddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0 || addresses.Any(a => !IsAllowed(a, AllowLoopback)))
            throw new WebhookAddressRefusedException("The webhook host resolves to an address that is not allowed.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Whether a webhook may connect to <paramref name="address"/>: public unicast only (loopback when allowed).</summary>
    public static bool IsAllowed(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address))
            return allowLoopback;
        Span<byte> b = stackalloc byte[16];
        if (!address.TryWriteBytes(b, out int length))
            return false;
        return length == 4 ? IsPublicV4(b[..4]) : IsPublicV6(b[..16]);
    }

    private static bool IsPublicV4(ReadOnlySpan<byte> b) => !(
        b[0] == 0                                            // 0.0.0.0/8 "this network"
        || b[0] == 10                                        // 10/8 private
        || b[0] == 100 && (b[1] & 0xc0) == 64                // 100.64/10 carrier-grade NAT
        || b[0] == 127                                       // loopback
        || b[0] == 169 && b[1] == 254                        // 169.254/16 link-local (cloud metadata)
        || b[0] == 172 && (b[1] & 0xf0) == 16                // 172.16/12 private
        || b[0] == 192 && b[1] == 0 && b[2] is 0 or 2        // 192.0.0/24 IETF, 192.0.2/24 documentation
        || b[0] == 192 && b[1] == 88 && b[2] == 99           // 6to4 relay anycast
        || b[0] == 192 && b[1] == 168                        // 192.168/16 private
        || b[0] == 198 && (b[1] & 0xfe) == 18                // 198.18/15 benchmarking
        || b[0] == 198 && b[1] == 51 && b[2] == 100          // documentation
        || b[0] == 203 && b[1] == 0 && b[2] == 113           // documentation
        || b[0] >= 224);                                     // multicast, reserved, broadcast

    private static bool IsPublicV6(ReadOnlySpan<byte> b)
    {
        // Only global unicast (2000::/3) can be public; inside it, forms that carry an IPv4 address are judged by that address.
        if ((b[0] & 0xe0) != 0x20)
            return false;
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)   // 2001:db8::/32 documentation
            return false;
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)         // 2001::/32 Teredo (tunnels to anything)
            return false;
        if (b[0] == 0x20 && b[1] == 0x02)                                   // 2002::/16 6to4: the embedded IPv4 address decides
            return IsPublicV4(b.Slice(2, 4));
        return true;
    }

    private static ProblemException Refused(string detail) => new(WebhookProblems.UrlRefused, detail);
}
