using Keystore.LocalNetwork.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

// Deploys the keystore's contracts to a running local chain and has its council approve the local TDX simulator:
// `dotnet run --project src/LocalNetwork -- --LocalNetwork:WasmDir=contracts/out [--LocalNetwork:RpcUrl=http://127.0.0.1:3030]
// [--LocalNetwork:CredentialsDir=~/.near-credentials]`. Running it again on the same chain changes nothing.
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();
var options = configuration.GetSection(LocalNetworkOptions.SectionName).Get<LocalNetworkOptions>() ?? new LocalNetworkOptions();

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var summary = new StringWriter();
int code;
using (var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss ";
})))
{
    code = await LocalNetworkCommand.RunAsync(options, summary, loggers, stop.Token);
}
// The console logger writes from a background queue, drained when disposed: the summary comes after every step.
Console.Write(summary);
return code;
