using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Keystore.Boot;
using Keystore.Hosting;
using Keystore.TestSupport.State;

namespace Keystore.Tests.State;

/// <summary>The SQLite store serves one keystore process: a second one on the same file is refused until the first lets go.</summary>
public class SqliteProcessLockTests
{
    [Fact]
    public async Task A_second_store_on_the_same_file_is_refused_with_a_message_until_the_first_is_closed()
    {
        using var file = new TemporarySqliteFile();
        string path = file.Path;
        StateTestStore first = await StateTestStore.SqliteAsync(path);
        BootFailureException refused;
        try
        {
            refused = await Assert.ThrowsAsync<BootFailureException>(() => StateTestStore.SqliteAsync(path));
        }
        finally
        {
            await first.DisposeAsync();
        }
        Assert.True(refused.Retryable);
        Assert.Contains("Another keystore process", refused.Message, StringComparison.Ordinal);
        Assert.Contains(path + ".lock", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Keystore:State:Provider=postgres", refused.Message, StringComparison.Ordinal);

        await using StateTestStore next = await StateTestStore.SqliteAsync(path);
        Assert.True(next.Store.IsOpen);
    }

    [Fact]
    public async Task A_keystore_process_on_a_file_another_process_holds_is_not_ready_and_says_why_until_the_other_lets_go()
    {
        string path = StateTestStore.NewSqlitePath(out string folder);
        StateTestStore? holder = await StateTestStore.SqliteAsync(path);
        int port = FreePort();
        string dll = typeof(KeystoreApplication).Assembly.Location;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (string arg in new[]
                 {
                     dll, $"--contentRoot={Path.GetDirectoryName(dll)}", $"--Urls=http://127.0.0.1:{port}",
                     "--Keystore:MasterSecret:Source=backup", $"--Keystore:MasterSecret:BackupHex={Convert.ToHexString(StateTestStore.DefaultMaster)}",
                     "--Keystore:Tee:Provider=none", $"--Keystore:State:SqlitePath={path}",
                 })
            info.ArgumentList.Add(arg);
        foreach (string inherited in new[] { "ASPNETCORE_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "HTTP_PORTS", "DOTNET_URLS" })
            info.Environment.Remove(inherited);
        using Process process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            JsonNode state = await StateStepAsync(http, process, s => s["state"]!.GetValue<string>() == "failed");
            Assert.Equal("failed", state["state"]!.GetValue<string>());
            Assert.Contains("Another keystore process", state["lastError"]!.GetValue<string>(), StringComparison.Ordinal);

            await holder.DisposeAsync();
            holder = null;
            // Retried with backoff: it opens the file once the other process has let go.
            JsonNode done = await StateStepAsync(http, process, s => s["state"]!.GetValue<string>() == "done");
            Assert.Equal("done", done["state"]!.GetValue<string>());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            if (holder is not null) await holder.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The boot step <c>state</c> from <c>/v1/ready</c>, once <paramref name="until"/> holds for it.</summary>
    private static async Task<JsonNode> StateStepAsync(HttpClient http, Process process, Func<JsonNode, bool> until)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, "the keystore exited");
            try
            {
                using HttpResponseMessage response = await http.GetAsync("/v1/ready");
                JsonNode? ready = JsonNode.Parse(await response.Content.ReadAsStringAsync());
                JsonNode? step = ready?["steps"]?.AsArray().FirstOrDefault(s => s?["name"]?.GetValue<string>() == "state");
                if (step is not null && until(step)) return step;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The keystore's boot step 'state' never got there.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
