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

// The keystore network is no longer deployed by the chain itself (it is a plain NEAR node): say where it went
// rather than silently starting a chain without the contracts.
if (configuration["LocalNear:Bootstrap:WasmDir"] is { Length: > 0 })
{
    Console.Error.WriteLine("LocalNear:Bootstrap:WasmDir is no longer read by the local chain: start the chain, then run " +
        "`dotnet run --project src/LocalNetwork -- --LocalNetwork:WasmDir=contracts/out` (see run.sh).");
    return 1;
}

await using var host = LocalNearHost.Create(configuration, logging => logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss ";
}));
var url = await host.StartAsync();

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
