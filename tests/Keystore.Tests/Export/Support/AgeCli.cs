using System.Diagnostics;
using System.Text;

namespace Keystore.Tests.Export.Support;

/// <summary>
/// The real age command-line tools (Debian's <c>age</c> package, installed by scripts/install-deps.sh): a fresh
/// identity from <c>age-keygen</c> in a temporary folder, and <c>age --decrypt</c> over stdin and stdout.
/// A missing binary fails the test with a message saying what to install (never a skip).
/// </summary>
public sealed class AgeCli : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly string _folder;

    private AgeCli(string folder, string identityFile, string recipient)
    {
        _folder = folder;
        IdentityFile = identityFile;
        Recipient = recipient;
    }

    /// <summary>The identity file age-keygen wrote (<c>AGE-SECRET-KEY-1…</c>).</summary>
    public string IdentityFile { get; }

    /// <summary>Its recipient, as <c>age-keygen -y</c> prints it.</summary>
    public string Recipient { get; }

    public static async Task<AgeCli> KeygenAsync()
    {
        string folder = Directory.CreateTempSubdirectory("age-test-").FullName;
        string identity = Path.Combine(folder, "key.txt");
        AgeRun keygen = await RunAsync("age-keygen", ["-o", identity], []);
        Assert.True(keygen.ExitCode == 0, "age-keygen failed: " + keygen.StdErr);
        AgeRun show = await RunAsync("age-keygen", ["-y", identity], []);
        Assert.True(show.ExitCode == 0, "age-keygen -y failed: " + show.StdErr);
        return new AgeCli(folder, identity, Encoding.ASCII.GetString(show.StdOut).Trim());
    }

    /// <summary><c>age --decrypt -i identity</c> of <paramref name="file"/> (binary or armored).</summary>
    public Task<AgeRun> DecryptAsync(byte[] file) => RunAsync("age", ["--decrypt", "-i", IdentityFile], file);

    /// <summary><c>age --encrypt -r recipient</c>, for checking the reverse direction where a test needs it.</summary>
    public static Task<AgeRun> EncryptAsync(string recipient, byte[] plaintext) => RunAsync("age", ["--encrypt", "-r", recipient], plaintext);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<AgeRun> RunAsync(string program, string[] arguments, byte[] stdin)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is required by the export tests (apt-get install age, or scripts/install-deps.sh): {e.Message}", e);
        }
        using (process)
        {
            var stdout = new MemoryStream();
            Task copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // age may stop reading early on a malformed file; its exit code and stderr tell why.
            }
            using var cts = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} did not finish in time.");
            }
            await copyOut;
            return new AgeRun(process.ExitCode, stdout.ToArray(), await stderr);
        }
    }
}
