using Keystore.LocalNear.Hosting;
using Xunit;

namespace Keystore.LocalNear.Tests;

/// <summary>The local chain is a plain NEAR node: what the keystore deploys on it lives in src/LocalNetwork.</summary>
public sealed class LayeringTests
{
    [Fact]
    public void The_local_chain_does_not_depend_on_the_attestation_library()
    {
        string[] references = typeof(LocalNearHost).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.Contains("Keystore.Near", references);
        Assert.DoesNotContain("Keystore.Attestation", references);
        Assert.DoesNotContain(typeof(LocalNearHost).Assembly.GetTypes(), t => t.Namespace?.EndsWith(".Bootstrap", StringComparison.Ordinal) == true);
    }
}
