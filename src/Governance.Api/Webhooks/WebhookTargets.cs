using System.Net;
using System.Net.Sockets;
using Governance.Infrastructure;

namespace Governance.Webhooks;

public sealed class WebhookTargetRefusedException(string message) : Exception(message);

/// <summary>
/// SSRF: a webhook is a request the service makes for whoever subscribed, so by default it goes only
/// to public addresses. The check is made on the address actually connected to (after DNS), so a
/// name that resolves to an internal address, or changes to one later, is refused too; redirects
/// are not followed.
/// </summary>
public static class WebhookTargets
{
    public static Problem? Check(string? url, bool allowPrivate)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.UserInfo.Length > 0 || url!.Length > 2000)
        {
            return Problem.BadRequest("invalid-webhook-url", "url is an absolute http or https URL without user information, of at most 2,000 characters.");
        }
        if (!allowPrivate && (uri.IsLoopback || IPAddress.TryParse(uri.DnsSafeHost, out var address) && IsPrivate(address)))
        {
            return PrivateTarget(uri.Host);
        }
        return null;
    }

    public static Problem PrivateTarget(string host) =>
        Problem.Violation("webhook-target-private", "The target is not a public address.",
            $"'{host}' is a loopback or private address; webhooks go to public addresses unless Governance__Webhooks__AllowPrivateTargets=true.");

    /// <summary>
    /// Loopback, private (RFC 1918, RFC 4193), link-local, carrier-grade NAT, unspecified, multicast and
    /// reserved addresses; an IPv4 address inside IPv6 (mapped, NAT64 <c>64:ff9b::/96</c>, 6to4
    /// <c>2002::/16</c>) is judged as that IPv4 address, and Teredo (<c>2001::/32</c>) is refused.
    /// </summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
            {
                return IsPrivate(new IPAddress(bytes.AsSpan(12, 4)));
            }
            if (bytes[0] == 0x20 && bytes[1] == 0x02) return IsPrivate(new IPAddress(bytes.AsSpan(2, 4)));
            if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0 && bytes[3] == 0) return true;
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (bytes[0] & 0xFE) == 0xFC
                || address.Equals(IPAddress.IPv6None) || bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        }
        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127 || b[0] >= 224
            || (b[0] == 169 && b[1] == 254) || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }

    /// <summary>
    /// The handler webhooks are sent with: every connection checked, no proxy (a proxy would connect
    /// to a target the check never saw), no redirects, no cookies, a short connect timeout (a target
    /// that never answers does not hold a sender for the whole timeout).
    /// </summary>
    public static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.Where(a => allowPrivate || !IsPrivate(a)).ToArray();
            if (allowed.Length == 0) throw new WebhookTargetRefusedException(PrivateTarget(context.DnsEndPoint.Host).Detail);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
