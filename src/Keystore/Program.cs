using Keystore.Cli;
using Keystore.Hosting;

if (KeystoreCommandLine.IsToolInvocation(args))
    return KeystoreCommandLine.Run(args);

WebApplication app = KeystoreApplication.Build(args);
// A bad setting ends here with exit code 1 and one line naming it: no stack trace, no value of a secret.
if (KeystoreApplication.ConfigurationError(app.Services) is { } error)
{
    await Console.Error.WriteLineAsync(error);
    return 1;
}
await app.RunAsync();
return 0;
