using Keystore.Hosting;

WebApplication app = KeystoreApplication.Build(args);
await app.RunAsync();
