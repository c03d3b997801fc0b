using System.Xml.Linq;

namespace Keystore.Tests.Layout;

/// <summary>What the test projects share lives once, in tests/TestSupport, and never reaches the product.</summary>
public class TestSupportTests
{
    private static IEnumerable<string> Projects(string folder) =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, folder), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string[] Attribute(string project, string element, string attribute) =>
        XDocument.Load(project).Descendants(element).Select(e => e.Attribute(attribute)?.Value ?? "").ToArray();

    [Fact]
    public void No_product_project_references_the_test_support()
    {
        string[] src = Projects("src").ToArray();
        Assert.NotEmpty(src);
        Assert.All(src, p => Assert.DoesNotContain(Attribute(p, "ProjectReference", "Include"), r => r.Contains("TestSupport", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_test_project_uses_the_test_support_and_links_no_other_projects_files()
    {
        string[] tests = Projects("tests").Where(p => p.EndsWith(".Tests.csproj", StringComparison.Ordinal)).ToArray();
        Assert.True(tests.Length >= 7, string.Join(", ", tests));
        Assert.All(tests, p =>
        {
            Assert.Contains(Attribute(p, "ProjectReference", "Include"), r => r.EndsWith("TestSupport/TestSupport.csproj", StringComparison.Ordinal));
            Assert.DoesNotContain(Attribute(p, "Compile", "Include"), c => c.StartsWith("..", StringComparison.Ordinal));
        });
        string bench = Path.Combine(RepoPaths.Root, "bench", "Keystore.Benchmarks", "Keystore.Benchmarks.csproj");
        Assert.Contains(Attribute(bench, "ProjectReference", "Include"), r => r.EndsWith("TestSupport/TestSupport.csproj", StringComparison.Ordinal));
    }

    [Fact]
    public void Repository_root_finders_node_runners_and_wat_compilers_exist_once()
    {
        // The helpers each test project used to carry its own copy of.
        string[] files = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "bench"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "TestSupportTests.cs")
            .ToArray();
        foreach (string marker in new[] { "\"Keystore.sln\"", "new ProcessStartInfo(\"node\"", "wat2wasm" })
        {
            string[] holders = files.Where(f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal))
                .Select(f => Path.GetRelativePath(RepoPaths.Root, f)).ToArray();
            Assert.True(holders.Length == 1 && holders[0].StartsWith("tests/TestSupport/", StringComparison.Ordinal),
                $"{marker} in: {string.Join(", ", holders)}");
        }
        // The NEP-413 request credential is built once, by the C# client (clients/dotnet), which tests and the load client use.
        foreach (string marker in new[] { "\\n{ts}\"", "\\n{timestampMs}\"" })
            Assert.DoesNotContain(files, f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal));
        Assert.Contains("\\n{timestampMs}\"", File.ReadAllText(Path.Combine(RepoPaths.Root, "clients", "dotnet", "Keystore.Client", "NearCredential.cs")), StringComparison.Ordinal);
    }
}
