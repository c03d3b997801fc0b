using System.CommandLine;
using Keystore.Configuration;

namespace Keystore.Cli;

/// <summary>
/// The keystore executable's tools. Without a known subcommand the arguments belong to the web host
/// (configuration overrides such as <c>--Keystore:Bitcoin:Network=regtest</c>), so only a leading
/// subcommand name or a help flag is handed to System.CommandLine.
/// </summary>
public static class KeystoreCommandLine
{
    private static readonly string[] HelpFlags = ["--help", "-h", "-?", "help"];

    public static bool IsToolInvocation(string[] args) => args.Length > 0 && (args[0] is "verify-quote" or "measure" or "verify-audit" || IsHelp(args));

    public static int Run(string[] args, InvocationConfiguration? configuration = null)
    {
        configuration ??= new InvocationConfiguration();
        if (IsHelp(args))
        {
            configuration.Output.Write(HelpText());
            return 0;
        }
        var root = new RootCommand("NEAR TEE keystore tools") { VerifyQuoteCommand.Create(), MeasureCommand.Create(), VerifyAuditCommand.Create() };
        return root.Parse(args).Invoke(configuration);
    }

    private static bool IsHelp(string[] args) => args.Length == 1 && HelpFlags.Contains(args[0]);

    /// <summary>The commands, then every <c>Keystore:*</c> setting the startup check accepts (read from the options types).</summary>
    public static string HelpText()
    {
        var lines = new List<string>
        {
            "NEAR TEE keystore",
            "",
            "Usage:",
            "  Keystore [--Setting=value …]      run the keystore (HTTP API; settings below, also as environment variables with __ for :)",
            "  Keystore verify-quote …           verify a TDX quote offline (--quote and --collateral, or --attestation; --help for its options)",
            "  Keystore measure --compose F      the compose hash and the DAO proposal arguments for an app-compose document",
            "  Keystore verify-audit --log F     check an audit chain export: signatures, hash chain, and (with --rpc --dao) the NEAR anchor",
            "  Keystore --help                   this text",
            "",
            "Host settings:",
            "  --Urls=http://127.0.0.1:8080      where the API listens (or ASPNETCORE_URLS)",
            "  --Logging:Console:FormatterName=json   one JSON object per log line",
            "",
            "Keystore settings (unknown Keystore:* keys stop startup; the README's configuration table explains each):",
        };
        lines.AddRange(KnownSettings.Paths(typeof(KeystoreOptions), KeystoreOptions.Section).Select(p => "  " + p));
        lines.Add("");
        return string.Join(Environment.NewLine, lines);
    }
}
