namespace Keystore.Tee;

/// <summary>Tells whether this process runs inside a real TDX guest (not the simulator).</summary>
public interface ITeeDetector
{
    bool IsRealTeePresent { get; }
}
