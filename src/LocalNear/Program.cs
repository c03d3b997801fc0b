using Keystore.LocalNear.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// A local NEAR chain for development: `dotnet run --project src/LocalNear [-- --LocalNear:RpcUrl=http://127.0.0.1:3030]`.
// Settings: appsettings.json, then LocalNear__* environment variables, then --LocalNear:* arguments.
var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();

await using var host = LocalNearHost.Create(configuration, logging => logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss ";
}));
var url = await host.StartAsync();

// --LocalNear:Bootstrap:WasmDir=contracts/out deploys the keystore's contracts and approves the local
// TDX simulator (what the README's run command uses); the chain's own RPC carries every transaction.
if (configuration["LocalNear:Bootstrap:WasmDir"] is { Length: > 0 } wasmDir)
{
    using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
    var rpc = new Keystore.Near.Rpc.NearRpcClient(http, new Keystore.Near.Rpc.NearRpcOptions { Endpoints = [url] });
    var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Bootstrap");
    try
    {
        await new Keystore.LocalNear.Bootstrap.KeystoreNetworkBootstrapper(rpc, a => host.Keys[a],
            new Keystore.LocalNear.Bootstrap.KeystoreNetworkSettings { WasmDirectory = Path.GetFullPath(wasmDir) }, log).RunAsync();
    }
    catch (Exception ex) when (ex is FileNotFoundException or Keystore.Near.Rpc.NearRpcException)
    {
        log.LogCritical("Bootstrapping the keystore contracts failed: {Reason}", ex.Message);
        return 1;
    }
    Console.WriteLine($"""

    Keystore network ready: tee-dao at dao.test.near (pins the local TDX simulator's root CA and approves
    its measurements), chain-keys at chain-keys.test.near, MPC signer at v1.signer.test.near.
    """);
}

Console.WriteLine($"""

    Local NEAR chain '{host.ChainId}' is running
      RPC:         {url}
      Credentials: {host.Genesis.CredentialsDirectory ?? "(not written)"}
      Keys:        {host.Genesis.KeysDirectory}
      MPC signer:  {host.Genesis.MpcAccountId ?? "(none)"} (domain {host.Options.Mpc.DomainId}){(host.Genesis.Mpc is { } mpc ? $", public key {Keystore.Near.Ckd.BlsKeyText.Encode(mpc.PublicKey)}" : "")}
      Accounts:
    """);
foreach (var account in host.Genesis.Document.Accounts)
    Console.WriteLine($"      {account.AccountId,-28} {host.Keys[account.AccountId].PublicKey}");
Console.WriteLine($"""

    near-cli 4: NEAR_ENV=custom NEAR_CUSTOM_RPC={url} near view <contract> <method>
      (near-cli 4 only knows mainnet/testnet/custom: copy the credentials above to ~/.near-credentials/custom/)
    Press Ctrl-C to stop.

    """);

await host.WaitForShutdownAsync();
Console.WriteLine("Local NEAR chain stopped.");
return 0;
