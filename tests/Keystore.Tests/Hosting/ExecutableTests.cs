using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Keystore.Hosting;
using Keystore.Tests.Support;

namespace Keystore.Tests.Hosting;

/// <summary>The real keystore executable, started as an operator or a container would start it.</summary>
public class ExecutableTests
{
    private static readonly string[] Backup =
    [
        "--Keystore:MasterSecret:Source=backup", $"--Keystore:MasterSecret:BackupHex={KeystoreServer.MasterSecretHex}", "--Keystore:Tee:Provider=none",
    ];

    private static Process Start(IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        string dll = typeof(KeystoreApplication).Assembly.Location;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(dll);
        // The shipped appsettings.json is read, as in a deployment.
        info.ArgumentList.Add($"--contentRoot={Path.GetDirectoryName(dll)}");
        foreach (string arg in args) info.ArgumentList.Add(arg);
        foreach (string inherited in new[] { "ASPNETCORE_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "HTTP_PORTS", "DOTNET_URLS" })
            info.Environment.Remove(inherited);
        foreach ((string k, string v) in environment ?? new Dictionary<string, string>())
            info.Environment[k] = v;
        return Process.Start(info)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task AssertServesHealthAsync(Process process, int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                Assert.Fail("The keystore exited: " + await process.StandardError.ReadToEndAsync());
            try
            {
                using HttpResponseMessage response = await client.GetAsync($"http://127.0.0.1:{port}/v1/health");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet (or too slow to answer on a loaded machine): ask again.
                await Task.Delay(100);
            }
        }
        Assert.Fail($"Nothing answered on port {port}.");
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
        process.Dispose();
    }

    [Fact]
    public async Task ASPNETCORE_URLS_decides_where_it_listens()
    {
        int port = FreePort();
        Process process = Start(Backup, new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });
        try
        {
            await AssertServesHealthAsync(process, port);
        }
        finally
        {
            Stop(process);
        }
    }

    [Fact]
    public async Task The_Urls_argument_decides_where_it_listens()
    {
        int port = FreePort();
        Process process = Start([.. Backup, $"--Urls=http://127.0.0.1:{port}"]);
        try
        {
            await AssertServesHealthAsync(process, port);
        }
        finally
        {
            Stop(process);
        }
    }

    [Theory]
    [InlineData("--Keystore:MasterSecert:Source=backup", "Keystore:MasterSecert is not a known setting (did you mean Keystore:MasterSecret?)")]
    [InlineData("--Keystore:MaxBodyBytes=lots", "Keystore:MaxBodyBytes")]
    [InlineData("--Keystore:MasterSecret:BackupHex=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeZZ", "Keystore:MasterSecret:BackupHex must be 64 hexadecimal characters")]
    public async Task A_bad_configuration_exits_1_with_one_line_naming_it(string setting, string expected)
    {
        string[] args = setting.Contains("BackupHex", StringComparison.Ordinal)
            ? ["--Keystore:MasterSecret:Source=backup", "--Keystore:Tee:Provider=none", setting]
            : [setting];
        Process process = Start(args);
        try
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000), "The keystore did not exit.");
            string error = await stderr;
            Assert.Equal(1, process.ExitCode);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(expected, error);
            Assert.DoesNotContain("   at ", error + await stdout);
            Assert.DoesNotContain("00112233", error);
            Assert.DoesNotContain("lots", error);
        }
        finally
        {
            Stop(process);
        }
    }
}
