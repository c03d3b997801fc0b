namespace Keystore.LocalNetwork.Tests.Support;

/// <summary>Finds the repository (the folder with Keystore.sln) and its built contracts.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>contracts/out, written by contracts/build.sh (the test command builds it first).</summary>
    public static string ContractsOut
    {
        get
        {
            string dir = Path.Combine(Root, "contracts", "out");
            return File.Exists(Path.Combine(dir, "tee_dao.wasm")) && File.Exists(Path.Combine(dir, "chain_keys.wasm"))
                ? dir
                : throw new FileNotFoundException($"{dir} lacks tee_dao.wasm / chain_keys.wasm: run contracts/build.sh first.");
        }
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Keystore.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Keystore.sln not found above " + AppContext.BaseDirectory);
    }
}
