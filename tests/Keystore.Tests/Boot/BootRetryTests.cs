using System.Text.Json.Nodes;
using Keystore.Boot;
using Keystore.Dao;
using Keystore.Tests.Support;

namespace Keystore.Tests.Boot;

/// <summary>
/// The boot's one retry policy against a scripted NEAR node: a fault that may clear up (a node timeout) is
/// tried again; a definite answer (the DAO account does not exist) stops the step as failed, with the reason.
/// </summary>
public sealed class BootRetryTests
{
    /// <summary>nearcore's answer when the node gave up waiting (the RPC client itself retries it, then gives up).</summary>
    private static JsonNode NodeTimeout() => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["name"] = "HANDLER_ERROR",
            ["cause"] = new JsonObject { ["name"] = "TIMEOUT_ERROR" },
            ["code"] = -32000,
            ["message"] = "Server error",
            ["data"] = "Timeout",
        },
    };

    private static async Task<BootStep> WaitForAsync(KeystoreServer server, string step, Func<BootStep, bool> until)
    {
        KeystoreState state = server.Services.GetRequiredService<KeystoreState>();
        for (int i = 0; i < 600; i++)
        {
            if (state.Steps.SingleOrDefault(s => s.Name == step) is { } current && until(current)) return current;
            await Task.Delay(25);
        }
        throw new TimeoutException($"Boot step {step} never reached the expected state: " + string.Join("; ", state.Steps));
    }

    [Fact]
    public async Task An_unknown_DAO_account_fails_the_register_step_after_one_attempt_with_the_reason()
    {
        // An empty script: every view call on the DAO answers UNKNOWN_ACCOUNT.
        var rpc = new ScriptedNearRpc([]);
        await using KeystoreServer server = await KeystoreServer.StartCkdAsync(rpc);

        await WaitForAsync(server, "register", s => s.State == BootStepState.Failed);
        // Longer than the first backoff (0.5 s + jitter): a retry would have made a second attempt by now.
        await Task.Delay(TimeSpan.FromSeconds(2));

        BootStep register = server.Services.GetRequiredService<KeystoreState>().Steps.Single(s => s.Name == "register");
        Assert.Equal(BootStepState.Failed, register.State);
        Assert.Equal(1, register.Attempts);
        Assert.Equal("NEAR RPC: Account dao.test.near does not exist.", register.LastError);
        Assert.Single(rpc.Requests);
        using HttpResponseMessage notReady = await server.Client.GetAsync("/v1/ready");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Contains("Boot step 'register' is failed", JsonNode.Parse(await notReady.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_node_timeout_is_retried_and_the_definite_answer_after_it_stops_the_step()
    {
        // One RPC call's worth of timeouts (the client tries 5 times), then the DAO account is unknown.
        var rpc = new ScriptedNearRpc(Enumerable.Range(0, 5).Select(_ => NodeTimeout()));
        await using KeystoreServer server = await KeystoreServer.StartCkdAsync(rpc);

        BootStep failed = await WaitForAsync(server, "register", s => s.State == BootStepState.Failed && s.LastError!.Contains("does not exist"));
        Assert.Equal(2, failed.Attempts);
        await Task.Delay(TimeSpan.FromSeconds(2));
        BootStep register = server.Services.GetRequiredService<KeystoreState>().Steps.Single(s => s.Name == "register");
        Assert.Equal(2, register.Attempts);
        Assert.Equal(6, rpc.Requests.Count);
        Assert.False(server.Services.GetRequiredService<KeystoreState>().IsReady);
    }
}
