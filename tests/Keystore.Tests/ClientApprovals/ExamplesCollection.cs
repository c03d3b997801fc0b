namespace Keystore.Tests.ClientApprovals;

/// <summary>The tests that install and run examples/typescript: one at a time, as they share its node_modules.</summary>
[CollectionDefinition(Name)]
public sealed class ExamplesCollection
{
    public const string Name = "examples/typescript";
}
