using Keystore.Attestation.Tee;

namespace Keystore.Attestation.Tests;

public class TeeEnvironmentTests
{
    [Theory]
    [InlineData("/dev/tdx_guest", true)]
    [InlineData("/dev/tdx-guest", true)]
    [InlineData("/var/run/dstack.sock", true)]
    [InlineData("/run/dstack/dstack.sock", true)]
    [InlineData("/tmp/dstack-simulator.sock", false)]
    [InlineData("/dev/null", false)]
    public void DetectsTdxDevicesAndAgentSockets(string present, bool expected) =>
        Assert.Equal(expected, TeeEnvironment.IsRealTdxPresent(p => p == present));

    [Fact]
    public void SimulatorEndpointVariableDoesNotCount()
    {
        var before = TeeEnvironment.IsRealTdxPresent();
        var old = Environment.GetEnvironmentVariable("DSTACK_SIMULATOR_ENDPOINT");
        try
        {
            Environment.SetEnvironmentVariable("DSTACK_SIMULATOR_ENDPOINT", "/tmp");
            Assert.Equal(before, TeeEnvironment.IsRealTdxPresent());
        }
        finally
        {
            Environment.SetEnvironmentVariable("DSTACK_SIMULATOR_ENDPOINT", old);
        }
    }
}
