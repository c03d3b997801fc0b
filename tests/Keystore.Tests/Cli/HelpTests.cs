using System.CommandLine;
using Keystore.Cli;

namespace Keystore.Tests.Cli;

public class HelpTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_prints_the_commands_and_every_setting_instead_of_starting_a_server(string flag)
    {
        Assert.True(KeystoreCommandLine.IsToolInvocation([flag]));
        var output = new StringWriter();
        Assert.Equal(0, KeystoreCommandLine.Run([flag], new InvocationConfiguration { Output = output }));
        string text = output.ToString();
        Assert.Contains("verify-quote", text, StringComparison.Ordinal);
        foreach (string setting in new[] { "Keystore:MasterSecret:Source", "Keystore:Near:RpcUrls:{n}", "Keystore:Owners:{name}:{n}", "Keystore:Tee:Simulator:SeedHex", "Keystore:RateLimit:Burst" })
            Assert.Contains("  " + setting + Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Contains("Logging:Console:FormatterName=json", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_settings_are_still_the_servers()
    {
        Assert.False(KeystoreCommandLine.IsToolInvocation(["--Keystore:Bitcoin:Network=regtest"]));
        Assert.False(KeystoreCommandLine.IsToolInvocation([]));
    }
}
