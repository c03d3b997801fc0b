namespace Keystore.TestSupport.State;

/// <summary>A state database path in a new temporary folder, for tests that close and reopen one file; disposing deletes the folder.</summary>
public sealed class TemporarySqliteFile : IDisposable
{
    private readonly string _folder;

    public TemporarySqliteFile() => Path = StateTestStore.NewSqlitePath(out _folder);

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}
