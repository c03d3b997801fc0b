using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.LocalNetwork.Bootstrap;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;
using Microsoft.Extensions.Logging;

namespace Keystore.LocalNetwork.Cli;

/// <summary>
/// Turns a running local chain into a keystore network: waits for its RPC, reads the genesis accounts' keys from
/// the NEAR CLI credentials the chain wrote, and runs the <see cref="KeystoreNetworkBootstrapper"/>. Returns the
/// process exit code (0 ready, 1 failed, with the reason logged).
/// </summary>
public static class LocalNetworkCommand
{
    /// <summary>The line run.sh and operators wait for.</summary>
    public const string ReadyLine = "Keystore network ready";

    public static async Task<int> RunAsync(LocalNetworkOptions options, TextWriter output, ILoggerFactory loggers, CancellationToken ct = default)
    {
        ILogger log = loggers.CreateLogger("Bootstrap");
        if (string.IsNullOrWhiteSpace(options.WasmDir))
        {
            log.LogCritical("LocalNetwork:WasmDir is required: the folder with tee_dao.wasm and chain_keys.wasm (contracts/build.sh writes contracts/out).");
            return 1;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var rpc = new NearRpcClient(http, new NearRpcOptions { Endpoints = [options.RpcUrl], RequestTimeout = TimeSpan.FromMinutes(2) });
        var keys = new Dictionary<string, Ed25519KeyPair>(StringComparer.Ordinal);
        try
        {
            string chainId = await WaitForChainAsync(options, log, ct).ConfigureAwait(false);
            string credentials = Path.Combine(LocalNetworkOptions.ExpandPath(options.CredentialsDir), chainId);
            Ed25519KeyPair KeyOf(string account)
            {
                if (!keys.TryGetValue(account, out Ed25519KeyPair? key))
                    keys[account] = key = NearCliCredentials.Load(Path.Combine(credentials, account + ".json"), account);
                return key;
            }

            var settings = new KeystoreNetworkSettings { WasmDirectory = LocalNetworkOptions.ExpandPath(options.WasmDir) };
            await new KeystoreNetworkBootstrapper(rpc, KeyOf, settings, log).RunAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync($"""

                {ReadyLine}: tee-dao at {settings.DaoAccountId} (pins the local TDX simulator's root CA and approves
                its OS measurement set and compose hash), chain-keys at {settings.ChainKeysAccountId}, MPC signer at {settings.MpcAccountId}.
                """).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or JsonException or NearRpcException or NearTransportException or TimeoutException)
        {
            // The messages name files and RPC failures, never key material (NearCliCredentials keeps secrets out of them).
            log.LogCritical("Bootstrapping the keystore contracts failed: {Reason}", ex.Message);
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.LogWarning("Bootstrapping the keystore contracts was cancelled.");
            return 1;
        }
        finally
        {
            foreach (Ed25519KeyPair key in keys.Values) key.Dispose();
        }
    }

    /// <summary>Polls <c>status</c> until the chain answers; returns its chain id.</summary>
    private static async Task<string> WaitForChainAsync(LocalNetworkOptions options, ILogger log, CancellationToken ct)
    {
        using var http = new HttpClient();
        var probe = new NearRpcClient(http, new NearRpcOptions { Endpoints = [options.RpcUrl], MaxAttempts = 1, RequestTimeout = TimeSpan.FromSeconds(5) });
        DateTimeOffset deadline = DateTimeOffset.UtcNow + options.ChainWaitTimeout;
        while (true)
        {
            try
            {
                JsonNode status = await probe.CallAsync("status", new JsonObject(), ct).ConfigureAwait(false);
                return status["chain_id"]?.GetValue<string>() ?? throw new NearRpcException($"status from {options.RpcUrl} has no chain_id.");
            }
            catch (NearTransportException) when (DateTimeOffset.UtcNow < deadline)
            {
                log.LogDebug("Waiting for the chain at {RpcUrl}.", options.RpcUrl);
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
            }
            catch (NearTransportException ex)
            {
                throw new TimeoutException($"no local chain answered at {options.RpcUrl} within {options.ChainWaitTimeout.TotalSeconds:0} s ({ex.Message})", ex);
            }
        }
    }
}
