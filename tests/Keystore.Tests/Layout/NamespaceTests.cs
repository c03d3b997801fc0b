using System.Text.RegularExpressions;
using System.Xml.Linq;
using Keystore.Tests.Support;

namespace Keystore.Tests.Layout;

/// <summary>Every C# file of the repository declares the namespace its folder names (project root namespace + folders).</summary>
public partial class NamespaceTests
{
    [Fact]
    public void Every_namespace_matches_its_folder()
    {
        var mismatches = new List<string>();
        string[] projects = new[] { "src", "tests", "bench" }
            .Select(d => Path.Combine(RepoPaths.Root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.csproj", SearchOption.AllDirectories))
            .ToArray();
        Assert.Contains(projects, p => p.EndsWith("Keystore.csproj", StringComparison.Ordinal));

        foreach (string project in projects)
        {
            string root = Path.GetDirectoryName(project)!;
            string rootNamespace = XDocument.Load(project).Descendants("RootNamespace").FirstOrDefault()?.Value
                ?? Path.GetFileNameWithoutExtension(project);
            foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, Path.GetDirectoryName(file)!);
                string[] parts = relative == "." ? [] : relative.Split(Path.DirectorySeparatorChar);
                if (parts.Length > 0 && parts[0] is "bin" or "obj" or "node_modules") continue;
                Match declared = NamespaceDeclaration().Match(File.ReadAllText(file));
                if (!declared.Success) continue; // top-level statements (Program.cs)
                string expected = string.Join('.', parts.Prepend(rootNamespace));
                if (declared.Groups[1].Value != expected)
                    mismatches.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}: {declared.Groups[1].Value}, expected {expected}");
            }
        }
        Assert.Empty(mismatches);
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();
}
