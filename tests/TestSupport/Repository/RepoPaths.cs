namespace Keystore.TestSupport.Repository;

/// <summary>Finds the repository (the folder with Keystore.sln) from the test binaries' folder, and its built parts.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Keystore.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("Keystore.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    /// <summary>A file copied from the test project's Vectors/ folder to its output folder.</summary>
    public static string Vector(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", name);

    /// <summary>tests/oracles with its npm packages; the test command installs them, a missing install is a failure.</summary>
    public static string Oracles
    {
        get
        {
            string dir = Path.Combine(Root, "tests", "oracles");
            return Directory.Exists(Path.Combine(dir, "node_modules"))
                ? dir
                : throw new InvalidOperationException($"{dir}/node_modules is missing: run 'npm ci' in tests/oracles (the test command does).");
        }
    }

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

    /// <summary>A built contract (contracts/out/&lt;name&gt;.wasm); run contracts/build.sh if it is missing.</summary>
    public static string ContractWasm(string name)
    {
        string path = Path.Combine(Root, "contracts", "out", name + ".wasm");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run contracts/build.sh first.", path);
    }
}
