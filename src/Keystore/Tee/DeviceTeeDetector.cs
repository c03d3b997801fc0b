namespace Keystore.Tee;

/// <summary>
/// A real TDX guest exposes the TDX guest device, and a dstack CVM its guest-agent socket. The
/// simulator endpoint (<c>DSTACK_SIMULATOR_ENDPOINT</c>) does not count: it is what development uses.
/// </summary>
public sealed class DeviceTeeDetector : ITeeDetector
{
    private static readonly string[] Markers =
    [
        "/dev/tdx_guest", "/dev/tdx-guest",
        "/var/run/dstack.sock", "/run/dstack.sock", "/var/run/dstack/dstack.sock", "/run/dstack/dstack.sock",
    ];

    private readonly Lazy<bool> _present = new(() => Markers.Any(Path.Exists));

    public bool IsRealTeePresent => _present.Value;
}
