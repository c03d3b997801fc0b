using System.Text.Json.Nodes;
using Keystore.Boot;
using Keystore.Tests.Support;

namespace Keystore.Tests.Boot;

/// <summary>
/// What an RPC endpoint that answers badly (hostile or broken) does to the boot: never a crash, never a step stuck
/// without a reason. Each answer below fails the register step (the first to ask NEAR) with a reason on /v1/ready and
/// is asked again later, while the keystore keeps answering.
/// </summary>
public sealed class HostileRpcAnswerTests
{
    private static string CallFunctionResult(JsonNode value) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = "dontcare", ["result"] = ScriptedNearRpc.Result(value, 7) }.ToJsonString();

    public static TheoryData<string, string, string> Answers => new()
    {
        { "not JSON", "<html>gateway</html>", "invalid JSON" },
        { "an array for an envelope", "[1,2,3]", "neither result nor error" },
        { "JSON nested past any sane depth", new string('[', 10_000) + new string(']', 10_000), "invalid JSON" },
        { "a string where the result bytes go", """{"jsonrpc":"2.0","id":"dontcare","result":{"result":"oops","block_height":7}}""", "malformed" },
        { "a result byte out of range", """{"jsonrpc":"2.0","id":"dontcare","result":{"result":[300],"block_height":7}}""", "malformed" },
        { "a negative block height", """{"jsonrpc":"2.0","id":"dontcare","result":{"result":[123,125],"block_height":-1}}""", "malformed" },
        { "a block height past 2^64", """{"jsonrpc":"2.0","id":"dontcare","result":{"result":[123,125],"block_height":18446744073709551616}}""", "malformed" },
        { "a number for the DAO's status", CallFunctionResult(new JsonObject { ["status"] = 5 }), "does not read" },
        { "a null advisory", CallFunctionResult(new JsonObject { ["status"] = "registered", ["tcb_status"] = "UpToDate", ["advisory_ids"] = new JsonArray((JsonNode?)null) }), "does not read" },
        { "an error of the wrong shape", """{"jsonrpc":"2.0","id":"dontcare","error":{"name":"HANDLER_ERROR","cause":{"name":"INVALID_TRANSACTION","info":{}},"data":{"TxExecutionError":{"InvalidTxError":{"InvalidNonce":{"ak_nonce":"x"}}}}}}""", "malformed" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task A_badly_formed_answer_fails_the_step_with_a_reason_and_is_asked_again(string what, string answer, string reason)
    {
        var rpc = new RawNearRpc(_ => answer);
        await using KeystoreServer server = await KeystoreServer.StartCkdAsync(rpc);

        BootStep register = await WaitForAsync(server, s => s.Attempts >= 2 && s.State == BootStepState.Failed);

        Assert.True(register.LastError!.Contains(reason, StringComparison.Ordinal), $"{what}: {register.LastError}");
        Assert.True(register.LastError.Length < 500, what);
        using HttpResponseMessage ready = await server.Client.GetAsync("/v1/ready");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("register", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_answer_larger_than_the_cap_is_not_buffered_whole_and_fails_as_a_transport_error()
    {
        // 17 MB of a valid-looking answer: over NearRpcClient.MaxResponseBytes (16 MiB).
        string huge = """{"jsonrpc":"2.0","id":"dontcare","result":{"result":[""" + string.Join(',', Enumerable.Repeat("32", 17 * 1024 * 1024 / 3)) + "]}}";
        var rpc = new RawNearRpc(_ => huge);
        await using KeystoreServer server = await KeystoreServer.StartCkdAsync(rpc);

        BootStep register = await WaitForAsync(server, s => s.Attempts >= 2 && s.State == BootStepState.Failed);

        Assert.Contains("all 5 attempts over 1 endpoint(s) failed", register.LastError);
    }

    private static async Task<BootStep> WaitForAsync(KeystoreServer server, Func<BootStep, bool> until)
    {
        KeystoreState state = server.Services.GetRequiredService<KeystoreState>();
        for (int i = 0; i < 1200; i++)
        {
            if (state.Steps.SingleOrDefault(s => s.Name == "register") is { } current && until(current)) return current;
            await Task.Delay(25);
        }
        throw new TimeoutException("The register step never reached the expected state: " + string.Join("; ", state.Steps));
    }
}
