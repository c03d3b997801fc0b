using Keystore.MasterSecrets;
using Keystore.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace Keystore.Tests.Boot;

/// <summary>
/// The boot steps wait for the host to have started. The backup source writes to the configuration (it takes its secret
/// out), and the configuration's providers are plain dictionaries that Kestrel enumerates while it binds: a step running
/// during the start made it fail now and again with "Collection was modified".
/// </summary>
public class BootAfterHostStartTests
{
    private const string HexKey = "Keystore:MasterSecret:BackupHex";

    [Fact]
    public async Task No_boot_step_runs_while_the_host_is_still_starting_and_all_run_once_it_has()
    {
        var gate = new StartGate();
        Task<KeystoreServer> starting = KeystoreServer.StartAsync(configure: builder =>
            builder.Services.AddSingleton<IHostedService>(services => gate.With(services.GetRequiredService<IConfiguration>())));

        // The boot service was registered first: it has started, and the host waits on the gate, not yet listening.
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(starting.IsCompleted);
        Assert.Equal(KeystoreServer.MasterSecretHex, gate.Configuration![HexKey]);

        gate.Open();
        await using KeystoreServer server = await starting;
        Assert.Equal(BackupMasterSecretSource.ConsumedValue, gate.Configuration[HexKey]);
    }

    private sealed class StartGate : IHostedService
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IConfiguration? Configuration { get; private set; }

        public Task Entered => _entered.Task;

        public StartGate With(IConfiguration configuration)
        {
            Configuration = configuration;
            return this;
        }

        public void Open() => _open.TrySetResult();

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await _open.Task.WaitAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
