using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;
using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.LocalNear.Tests.Rpc;

/// <summary>The process entry point: `dotnet Keystore.LocalNear.dll` prints where things are, logs transactions, stops on SIGTERM.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task Process_prints_its_setup_logs_transactions_and_stops_cleanly_on_sigterm()
    {
        if (OperatingSystem.IsWindows()) return; // SIGTERM delivery below uses kill(1)
        string dir = Directory.CreateTempSubdirectory("localnear-program-").FullName;
        var output = new StringBuilder();
        var urlSeen = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Keystore.LocalNear.dll"));
        start.ArgumentList.Add("--LocalNear:RpcUrl=http://127.0.0.1:0");
        start.ArgumentList.Add($"--LocalNear:DataDir={Path.Combine(dir, "data")}");
        start.ArgumentList.Add($"--LocalNear:CredentialsDir={Path.Combine(dir, "credentials")}");
        using var process = new Process { StartInfo = start };
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            string line = e.Data.Trim();
            if (line.StartsWith("RPC:", StringComparison.Ordinal)) urlSeen.TrySetResult(new Uri(line["RPC:".Length..].Trim()));
        }
        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var url = await urlSeen.Task.WaitAsync(TimeSpan.FromSeconds(60));

            using var http = new HttpClient();
            var rpc = new NearRpcClient(http, new NearRpcOptions { Endpoints = [url], MaxAttempts = 1 });
            var credential = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "credentials", "localnet", "test.near.json")))!;
            using var key = Ed25519KeyPair.ParseSecretKey(credential["private_key"]!.GetValue<string>());
            var outcome = await new TransactionSender(rpc, "test.near", key).FunctionCallAsync("v1.signer.test.near", "public_key", """{"domain_id":2}""", 30_000_000_000_000, 0);
            Assert.True(outcome.IsSuccess);

            await WaitForAsync(() => Text().Contains($"tx {outcome.TransactionHash} test.near -> v1.signer.test.near [public_key()] success", StringComparison.Ordinal));
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(0, process.ExitCode);
            string text = Text();
            Assert.Contains("Local NEAR chain 'localnet' is running", text, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(dir, "credentials", "localnet"), text, StringComparison.Ordinal);
            Assert.Contains($"test.near                    {key.PublicKey}", text, StringComparison.Ordinal);
            Assert.Contains("v1.signer.test.near (domain 2)", text, StringComparison.Ordinal);
            Assert.Contains("Local NEAR chain stopped.", text, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Directory.Delete(dir, recursive: true);
        }

        string Text()
        {
            lock (output) return output.ToString();
        }
    }

    [Fact]
    public async Task Process_refuses_the_bootstrap_setting_that_moved_to_local_network_and_says_where_it_went()
    {
        // The keystore network used to be deployed by the chain (--LocalNear:Bootstrap:WasmDir); a chain started that
        // way now would come up without the contracts, so it stops and names the program that deploys them.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Keystore.LocalNear.dll"));
        start.ArgumentList.Add("--LocalNear:RpcUrl=http://127.0.0.1:0");
        start.ArgumentList.Add("--LocalNear:Bootstrap:WasmDir=contracts/out");
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("src/LocalNetwork", await stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("is running", await stdout, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the process output");
            await Task.Delay(50);
        }
    }
}
