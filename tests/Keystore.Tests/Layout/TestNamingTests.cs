using System.Text.RegularExpressions;

namespace Keystore.Tests.Layout;

/// <summary>tests/README.md: every test method is a sentence with underscores (<c>Public_keys_are_in_NEAR_notation</c>).</summary>
public partial class TestNamingTests
{
    [Fact]
    public void Every_test_method_is_a_sentence_with_underscores()
    {
        var offenders = new List<string>();
        int tests = 0;
        foreach (string file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
            foreach (Match m in TestMethod().Matches(File.ReadAllText(file)))
            {
                tests++;
                string name = m.Groups[1].Value;
                // A sentence: capitalised first word, then at least one word after an underscore that starts in lower case.
                if (!char.IsUpper(name[0]) || !name.Split('_').Skip(1).Any(w => w.Length > 0 && char.IsLower(w[0])))
                    offenders.Add($"{Path.GetRelativePath(RepoPaths.Root, file)}: {name}");
            }
        }
        Assert.True(tests >= 350, $"only {tests} test methods found: the pattern no longer matches the test files");
        Assert.Empty(offenders);
    }

    [GeneratedRegex(@"\[(?:Fact|Theory|Property)\b[^\n]*\]\s*(?:\[[^\n]*\]\s*)*public\s+(?:static\s+)?(?:async\s+)?[\w<>\[\]?]+\s+(\w+)\s*\(")]
    private static partial Regex TestMethod();
}
