using System.CommandLine;

namespace Keystore.Cli;

/// <summary>
/// The keystore executable's tools. Without a known subcommand the arguments belong to the web host
/// (configuration overrides such as <c>--Keystore:Bitcoin:Network=regtest</c>), so only a leading
/// subcommand name is handed to System.CommandLine.
/// </summary>
public static class KeystoreCommandLine
{
    public static bool IsToolInvocation(string[] args) => args.Length > 0 && args[0] is "verify-quote" or "measure" or "verify-audit";

    public static int Run(string[] args, InvocationConfiguration? configuration = null)
    {
        var root = new RootCommand("NEAR TEE keystore tools") { VerifyQuoteCommand.Create(), MeasureCommand.Create(), VerifyAuditCommand.Create() };
        return root.Parse(args).Invoke(configuration ?? new InvocationConfiguration());
    }
}
