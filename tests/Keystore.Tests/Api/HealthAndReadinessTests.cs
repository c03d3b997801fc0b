using System.Net;
using System.Text.Json.Nodes;
using Keystore.MasterSecrets;
using Keystore.Tests.Support;

namespace Keystore.Tests.Api;

public class HealthAndReadinessTests
{
    [Fact]
    public async Task Health_and_ready_answer_200_once_the_master_secret_is_loaded()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using HttpResponseMessage health = await server.Client.GetAsync("/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using HttpResponseMessage ready = await server.Client.GetAsync("/v1/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        JsonNode body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.True(body["ready"]!.GetValue<bool>());
        Assert.Equal("backup", body["masterSecretSource"]!.GetValue<string>());
        Assert.Equal("done", body["steps"]![0]!["state"]!.GetValue<string>(), ignoreCase: true);
    }

    [Fact]
    public async Task Until_a_secret_is_loaded_ready_keys_and_sign_answer_503_with_the_reason()
    {
        var pending = new PendingSource();
        await using KeystoreServer server = await StartUnreadyAsync(pending);

        using HttpResponseMessage ready = await server.Client.GetAsync("/v1/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("application/problem+json", ready.Content.Headers.ContentType!.MediaType);
        JsonNode problem = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:near-tee-keystore:problem:not-ready", problem["type"]!.GetValue<string>());
        Assert.Contains("master-secret", problem["detail"]!.GetValue<string>());
        Assert.False(problem["ready"]!.GetValue<bool>());

        using HttpResponseMessage keys = await server.Client.GetAsync("/v1/accounts/alice.near/keys/ethereum");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, keys.StatusCode);

        using HttpResponseMessage sign = await server.Client.SendAsync(server.SignedPost("/v1/accounts/alice.near/sign/ethereum", """{"message":"hi"}"""));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, sign.StatusCode);
        Assert.DoesNotContain("signature", await sign.Content.ReadAsStringAsync());

        // Once the source answers, the same keystore becomes ready without a restart.
        pending.Complete(Convert.FromHexString(KeystoreServer.MasterSecretHex));
        await server.WaitUntilReadyAsync();
    }

    [Fact]
    public async Task A_failing_source_is_reported_with_its_error()
    {
        var pending = new PendingSource();
        await using KeystoreServer server = await StartUnreadyAsync(pending);
        pending.Fail(new Keystore.Boot.BootFailureException("MPC answered nothing", retryable: false));
        JsonNode? problem = null;
        for (int i = 0; i < 100; i++)
        {
            using HttpResponseMessage r = await server.Client.GetAsync("/v1/ready");
            problem = JsonNode.Parse(await r.Content.ReadAsStringAsync());
            if (problem!["detail"]?.GetValue<string>().Contains("MPC answered nothing") == true) break;
            await Task.Delay(20);
        }
        Assert.Contains("last error: MPC answered nothing", problem!["detail"]!.GetValue<string>());
        JsonNode step = problem["steps"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "master-secret")!;
        Assert.Equal("failed", step["state"]!.GetValue<string>(), ignoreCase: true);
    }

    private static Task<KeystoreServer> StartUnreadyAsync(PendingSource source) =>
        KeystoreServer.StartAsync(
            new Dictionary<string, string?> { ["Keystore:MasterSecret:Source"] = PendingSource.SourceName, ["Keystore:Tee:Provider"] = "none" },
            builder => builder.Services.AddMasterSecretSource(source),
            waitUntilReady: false);

    /// <summary>A source whose answer the test decides, to observe the keystore before and after boot.</summary>
    private sealed class PendingSource : IMasterSecretSource
    {
        public const string SourceName = "pending";
        private readonly TaskCompletionSource<MasterSecret> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => SourceName;

        public Task<MasterSecret> LoadAsync(CancellationToken cancellationToken) => _answer.Task.WaitAsync(cancellationToken);

        public void Complete(byte[] secret) => _answer.SetResult(new MasterSecret(secret));

        public void Fail(Exception error) => _answer.SetException(error);
    }
}
