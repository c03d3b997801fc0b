using Keystore.Cli;
using Keystore.Hosting;

if (KeystoreCommandLine.IsToolInvocation(args))
    return KeystoreCommandLine.Run(args);

WebApplication app = KeystoreApplication.Build(args);
await app.RunAsync();
return 0;
