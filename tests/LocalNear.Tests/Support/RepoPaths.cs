namespace Keystore.LocalNear.Tests.Support;

/// <summary>Locates the repository (the directory holding Keystore.sln) from the test binaries' folder.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Keystore.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"Keystore.sln not found above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    /// <summary>A built contract (contracts/out/&lt;name&gt;.wasm); run contracts/build.sh if it is missing.</summary>
    public static string ContractWasm(string name)
    {
        string path = Path.Combine(Root, "contracts", "out", name + ".wasm");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run contracts/build.sh first.", path);
    }
}
