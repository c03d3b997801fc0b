using Keystore.Attestation.Tee;

namespace Keystore.Tee;

/// <summary>
/// Asks the attestation library whether this is a real TDX guest (the TDX device or a dstack
/// guest-agent socket; the simulator endpoint does not count).
/// </summary>
public sealed class DeviceTeeDetector : ITeeDetector
{
    private readonly Lazy<bool> _present = new(TeeEnvironment.IsRealTdxPresent);

    public bool IsRealTeePresent => _present.Value;
}
