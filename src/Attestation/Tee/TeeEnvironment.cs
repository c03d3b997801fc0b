using Keystore.Attestation.Dstack;

namespace Keystore.Attestation.Tee;

/// <summary>Detects a real TDX guest, so development-only paths (simulator, dev secrets) can refuse to run inside one.</summary>
public static class TeeEnvironment
{
    private static readonly string[] TdxDevices = ["/dev/tdx_guest", "/dev/tdx-guest"];

    /// <summary>
    /// True when a TDX guest device or a dstack guest-agent socket exists. <c>DSTACK_SIMULATOR_ENDPOINT</c>
    /// is deliberately ignored: pointing at a simulator must not make a machine look like a TEE.
    /// </summary>
    public static bool IsRealTdxPresent() => IsRealTdxPresent(File.Exists);

    /// <summary>Same check over an injected file probe (for tests and unusual mounts).</summary>
    public static bool IsRealTdxPresent(Func<string, bool> exists) =>
        TdxDevices.Any(exists) || DstackEndpoint.SocketPaths.Any(exists);
}
