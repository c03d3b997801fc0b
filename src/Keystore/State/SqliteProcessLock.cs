using Keystore.Boot;

namespace Keystore.State;

/// <summary>
/// The SQLite store serves one keystore process: this process holds an exclusive lock on the database's sibling
/// <c>&lt;file&gt;.lock</c> for as long as the database is open, and a second keystore on the same file is refused at its
/// boot step <c>state</c>. That is what lets <see cref="SingleWriterSpendingWindows"/> keep an account's windows in
/// memory as the truth: no other process writes them. The lock is the kernel's (<c>flock</c>, taken by .NET for
/// <see cref="FileShare.None"/>), so a crashed process gives it up with its last file descriptor; the file itself stays.
/// </summary>
internal sealed class SqliteProcessLock : IDisposable
{
    private const string FileLockingSwitch = "System.IO.DisableFileLocking";
    private const string FileLockingVariable = "DOTNET_SYSTEM_IO_DISABLEFILELOCKING";
    // What .NET's IOException carries when the lock is taken: Windows' sharing violation, or on Unix flock's errno EWOULDBLOCK.
    private const int SharingViolation = unchecked((int)0x80070020);
    private const int LinuxWouldBlock = 11;
    private const int BsdWouldBlock = 35;

    private readonly FileStream _file;

    private SqliteProcessLock(FileStream file) => _file = file;

    public static string PathFor(string databasePath) => databasePath + ".lock";

    /// <summary>Takes the lock of <paramref name="databasePath"/> (a full path), or refuses with a message for <c>/v1/ready</c>.</summary>
    /// <exception cref="BootFailureException">Another process holds it (retryable: a restart that overlaps its predecessor
    /// proceeds once the old process is gone), or .NET's file locking is switched off, so the guarantee cannot be given.</exception>
    public static SqliteProcessLock Acquire(string databasePath)
    {
        string lockPath = PathFor(databasePath);
        if (FileLockingDisabled())
            throw new BootFailureException(
                $"The SQLite state store needs an exclusive lock on {lockPath}, and .NET file locking is switched off ({FileLockingVariable} or {FileLockingSwitch}): unset it.",
                retryable: false);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            return new SqliteProcessLock(new FileStream(lockPath, options));
        }
        catch (IOException ex) when (HeldElsewhere(ex))
        {
            throw new BootFailureException(
                $"Another keystore process is using the SQLite state database {databasePath} (it holds {lockPath}). SQLite serves one keystore process: " +
                "stop the other one, give this one its own Keystore:State:SqlitePath, or use Keystore:State:Provider=postgres for several instances.",
                retryable: true, ex);
        }
    }

    private static bool HeldElsewhere(IOException ex) =>
        OperatingSystem.IsWindows() ? ex.HResult == SharingViolation
        : OperatingSystem.IsLinux() ? ex.HResult == LinuxWouldBlock
        : ex.HResult == BsdWouldBlock;

    private static bool FileLockingDisabled()
    {
        if (AppContext.TryGetSwitch(FileLockingSwitch, out bool disabled) && disabled)
            return true;
        string? variable = Environment.GetEnvironmentVariable(FileLockingVariable);
        return variable is not null && (variable == "1" || variable.Equals("true", StringComparison.OrdinalIgnoreCase));
    }

    public void Dispose() => _file.Dispose();
}
