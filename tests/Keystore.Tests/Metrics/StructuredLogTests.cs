using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Keystore.Hosting;
using Keystore.Tests.Support;

namespace Keystore.Tests.Metrics;

/// <summary>
/// The README's logging setup on the real executable: <c>Logging:Console:FormatterName=json</c> writes one JSON object a
/// line, and with scopes included a problem answer's <c>traceId</c> finds the request's log records.
/// </summary>
public sealed class StructuredLogTests
{
    [Fact]
    public async Task JSON_console_logs_carry_the_trace_id_that_the_problem_answer_names()
    {
        int port = FreePort();
        string stateFolder = Path.Combine(Path.GetTempPath(), "keystore-log-test-" + Guid.NewGuid().ToString("N"));
        string dll = typeof(KeystoreApplication).Assembly.Location;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (string arg in new[]
                 {
                     dll, $"--contentRoot={Path.GetDirectoryName(dll)}", $"--Urls=http://127.0.0.1:{port}",
                     "--Keystore:MasterSecret:Source=backup", $"--Keystore:MasterSecret:BackupHex={KeystoreServer.MasterSecretHex}", "--Keystore:Tee:Provider=none",
                     $"--Keystore:State:SqlitePath={Path.Combine(stateFolder, "state.db")}",
                     "--Logging:Console:FormatterName=json", "--Logging:Console:FormatterOptions:IncludeScopes=true",
                     "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information",
                 })
            info.ArgumentList.Add(arg);
        foreach (string inherited in new[] { "ASPNETCORE_URLS", "URLS", "ASPNETCORE_HTTP_PORTS", "HTTP_PORTS", "DOTNET_URLS" })
            info.Environment.Remove(inherited);
        var lines = new List<string>();
        using Process process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        process.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            JsonNode problem = await ProblemOnceListeningAsync(http, process);
            string traceId = problem["traceId"]!.GetValue<string>();
            // W3C trace context: 00-<trace id>-<span id>-<flags>; the log scopes carry the trace id part.
            string[] parts = traceId.Split('-');
            Assert.Equal(4, parts.Length);
            string trace = parts[1];

            JsonObject[] records = [];
            for (int i = 0; i < 50 && records.Length == 0; i++)
            {
                await Task.Delay(100);
                lock (lines)
                    records = lines.Select(l => JsonNode.Parse(l) as JsonObject).OfType<JsonObject>()
                        .Where(r => r["Scopes"] is JsonArray scopes && scopes.Any(s => s?["TraceId"]?.GetValue<string>() == trace)).ToArray();
            }
            Assert.True(records.Length > 0, "no log record carries the trace id " + trace + ":\n" + string.Join('\n', lines));
            JsonObject finished = records.Last();
            Assert.Equal("Microsoft.AspNetCore.Hosting.Diagnostics", finished["Category"]!.GetValue<string>());
            Assert.Contains(records, r => r["Message"]!.GetValue<string>().Contains("400", StringComparison.Ordinal));
            Assert.Contains(records, r => r["Scopes"]!.AsArray().Any(s => s?["RequestPath"]?.GetValue<string>() == "/v1/accounts/NOT-AN-ACCOUNT/keys/ethereum"));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            if (Directory.Exists(stateFolder)) Directory.Delete(stateFolder, recursive: true);
        }
    }

    private static async Task<JsonNode> ProblemOnceListeningAsync(HttpClient http, Process process)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) Assert.Fail("The keystore exited: " + await process.StandardError.ReadToEndAsync());
            try
            {
                using HttpResponseMessage response = await http.GetAsync("/v1/accounts/NOT-AN-ACCOUNT/keys/ethereum");
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    await Task.Delay(100);
                    continue;
                }
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("The keystore did not answer.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
