using System.Text.Json.Nodes;
using Keystore.EndToEnd.Tests.Support;

using static Keystore.EndToEnd.Tests.Support.KeystoreNode;

namespace Keystore.EndToEnd.Tests;

/// <summary>
/// NEAR's MPC network sometimes does not answer within the yield timeout ("Request has timed out.").
/// The keystore reports it, backs off and asks again with a fresh ephemeral key, and ends with the
/// same master secret as a keystore whose requests never timed out.
/// </summary>
public sealed class MpcTimeoutTests
{
    [Fact]
    public async Task Timed_out_CKD_requests_are_retried_until_the_MPC_answers()
    {
        await using LocalKeystoreNetwork flaky = await LocalKeystoreNetwork.StartAsync(o => o.Mpc.TimeoutFirstRequests = 2);
        await using KeystoreNode keystore = await flaky.StartKeystoreAsync(waitUntilReady: false);

        JsonNode failing = await keystore.WaitForReadyBodyAsync(
            b => Step(b, "master-secret")?["lastError"]?.GetValue<string>()?.Contains("Request has timed out.") == true, TimeSpan.FromMinutes(1));
        Assert.False(failing["ready"]!.GetValue<bool>());

        await keystore.WaitUntilReadyAsync(TimeSpan.FromMinutes(1));
        JsonNode ready = await keystore.GetJsonAsync("/v1/ready");
        JsonNode step = Step(ready, "master-secret")!;
        Assert.Equal("done", step["state"]!.GetValue<string>());
        Assert.Equal(3, step["attempts"]!.GetValue<int>());
        Assert.Null(step["lastError"]);

        // Same MPC key, same DAO and path: the same secret as an undisturbed network gives.
        await using LocalKeystoreNetwork steady = await LocalKeystoreNetwork.StartAsync();
        await using KeystoreNode reference = await steady.StartKeystoreAsync();
        Assert.Equal(
            (await reference.GetJsonAsync("/v1/accounts/alice.test.near/keys/ethereum"))["address"]!.GetValue<string>(),
            (await keystore.GetJsonAsync("/v1/accounts/alice.test.near/keys/ethereum"))["address"]!.GetValue<string>());
    }
}
