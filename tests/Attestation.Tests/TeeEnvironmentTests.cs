using Keystore.Attestation.Dstack;
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
    public void Detects_tdx_devices_and_agent_sockets(string present, bool expected) =>
        Assert.Equal(expected, TeeEnvironment.IsRealTdxPresent(p => p == present));

    [Fact]
    public void Simulator_endpoint_variable_does_not_count()
    {
        // Injected environment and file probe, no process-wide variable: other tests run in parallel.
        const string simulatorSocket = "/tmp/dstack-simulator.sock";
        string? Env(string name) => name == DstackEndpoint.SimulatorVariable ? simulatorSocket : null;
        bool Exists(string path) => path == simulatorSocket;

        // The variable does steer where the dstack client connects...
        Assert.Equal(simulatorSocket, DstackEndpoint.Resolve(Env, Exists).SocketPath);
        // ...but the socket it names, existing, does not make the machine a TEE.
        Assert.False(TeeEnvironment.IsRealTdxPresent(Exists));
        Assert.True(TeeEnvironment.IsRealTdxPresent(p => Exists(p) || p == DstackEndpoint.SocketPaths[0]));
    }
}
