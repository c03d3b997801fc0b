using Keystore.EndToEnd.Tests.Support;

namespace Keystore.EndToEnd.Tests;

/// <summary>One bootstrapped local network shared by the tests of a class.</summary>
public sealed class NetworkFixture : IAsyncLifetime
{
    private LocalKeystoreNetwork? _network;

    public LocalKeystoreNetwork Network => _network ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _network = await LocalKeystoreNetwork.StartAsync();

    public async Task DisposeAsync()
    {
        if (_network is not null) await _network.DisposeAsync();
    }
}
