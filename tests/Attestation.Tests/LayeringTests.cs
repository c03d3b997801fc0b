using Keystore.Attestation.Quotes;

namespace Keystore.Attestation.Tests;

/// <summary>The attestation library is a library: command-line tools built on it live in the keystore executable.</summary>
public class LayeringTests
{
    [Fact]
    public void The_library_has_no_command_line_code()
    {
        var assembly = typeof(TdxQuote).Assembly;
        Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name == "System.CommandLine");
        Assert.DoesNotContain(assembly.GetTypes(), t => t.Namespace == "Keystore.Attestation.Cli");
    }
}
