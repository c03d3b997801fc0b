using System.Diagnostics;

namespace Keystore.EndToEnd.Tests.Support;

/// <summary>Compiles WebAssembly text with wabt's <c>wat2wasm</c> (a Debian package the test command installs).</summary>
public static class Wat
{
    public static async Task<byte[]> CompileAsync(string wat)
    {
        string dir = Directory.CreateTempSubdirectory("wat-").FullName;
        try
        {
            string source = Path.Combine(dir, "contract.wat"), output = Path.Combine(dir, "contract.wasm");
            await File.WriteAllTextAsync(source, wat);
            var start = new ProcessStartInfo("wat2wasm") { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add(source);
            start.ArgumentList.Add("-o");
            start.ArgumentList.Add(output);
            using Process process = Process.Start(start) ?? throw new InvalidOperationException("wat2wasm did not start (apt-get install wabt)");
            string errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException("wat2wasm: " + errors);
            return await File.ReadAllBytesAsync(output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
