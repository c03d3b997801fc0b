namespace Keystore.Tests.Support;

/// <summary>Finds files of the repository from the test output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Vector(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", name);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Keystore.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Keystore.sln not found above " + AppContext.BaseDirectory);
    }
}
