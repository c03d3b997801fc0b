using System.Net;
using System.Text.Json.Nodes;
using Keystore.Attestation;
using Keystore.Attestation.Collateral;
using Keystore.Attestation.EventLog;
using Keystore.Attestation.Simulator;
using Keystore.Attestation.Verification;
using Keystore.Near.Keys;
using Keystore.Tee;
using Keystore.Tests.Support;

namespace Keystore.Tests.Api;

public class AttestationEndpointTests
{
    [Fact]
    public async Task The_attestation_binds_this_boots_worker_key_and_verifies_against_the_simulator_root()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        JsonNode a = JsonNode.Parse(await server.Client.GetStringAsync("/v1/attestation"))!;

        Assert.True(a["simulated"]!.GetValue<bool>());
        Assert.Equal("simulator", a["provider"]!.GetValue<string>());
        var worker = Ed25519PublicKey.Parse(a["workerPublicKey"]!.GetValue<string>());
        byte[] quote = Convert.FromHexString(a["quote"]!.GetValue<string>());
        QuoteCollateralV3 collateral = QuoteCollateralV3.FromJson(a["collateral"]!.ToJsonString());

        // The same local-development PKI the local DAO pins: a verifier that trusts it accepts the quote.
        var simulator = new SimulatedTdxProvider(SimulatedTdxOptions.LocalDevelopment);
        VerifiedQuote verified = new DcapQuoteVerifier(simulator.RootCaDer).Verify(quote, collateral, DateTimeOffset.UtcNow);
        Assert.Equal(TcbStatus.UpToDate, verified.Status);
        byte[] expectedReportData = new byte[64];
        worker.Bytes.Span.CopyTo(expectedReportData);
        Assert.Equal(expectedReportData, verified.Report.ReportData);
        Assert.Equal(SimulatedTdxOptions.LocalDevelopment.Mrtd, verified.Report.MrTd);

        // The event log replays to the quoted RTMR3, which the response also states.
        DstackEventLog log = DstackEventLog.Parse(a["eventLog"]!.ToJsonString());
        Assert.Equal(verified.Report.Rtmr3, log.VerifyRtmr3(verified.Report.Rtmr3));
        Assert.Equal(Convert.ToHexStringLower(verified.Report.Rtmr3), a["rtmr3"]!.GetValue<string>());
        Assert.Equal(SimulatedTdxOptions.LocalDevelopment.ComposeHash, log.ComposeHash);

        // Intel's pinned root rejects it: a simulated quote proves nothing outside development.
        Assert.ThrowsAny<QuoteVerificationException>(() => DcapQuoteVerifier.Intel.Verify(quote, collateral, DateTimeOffset.UtcNow));

        // /v1/ready says plainly that attestation is simulated, with the same worker key.
        JsonNode ready = JsonNode.Parse(await server.Client.GetStringAsync("/v1/ready"))!;
        Assert.True(ready["tee"]!["simulated"]!.GetValue<bool>());
        Assert.Equal(worker.ToString(), ready["tee"]!["workerPublicKey"]!.GetValue<string>());
        Assert.Equal(["worker-key", "attest", "master-secret", "state", "audit"], ready["steps"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_registration_document_is_exactly_the_DAO_arguments_for_this_worker()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        JsonNode a = JsonNode.Parse(await server.Client.GetStringAsync("/v1/attestation"))!;
        using HttpResponseMessage r = await server.Client.GetAsync("/v1/attestation/registration");
        Assert.Equal("application/json", r.Content.Headers.ContentType!.MediaType);
        JsonNode args = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.Equal(["public_key", "quote_hex", "collateral", "event_log", "app_compose"], args.AsObject().Select(p => p.Key));
        Assert.Equal(a["workerPublicKey"]!.GetValue<string>(), args["public_key"]!.GetValue<string>());
        Assert.Equal(a["quote"]!.GetValue<string>(), args["quote_hex"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(a["eventLog"], args["event_log"]));
        Assert.NotNull(args["collateral"]!["tcb_info"]);
        // app_compose is the repository's dstack/app-compose.json, byte for byte, and the compose-hash event is its sha256.
        string compose = args["app_compose"]!.GetValue<string>();
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "dstack", "app-compose.json")), compose);
        string composeEvent = args["event_log"]!.AsArray().Single(e => e!["event"]!.GetValue<string>() == "compose-hash")!["event_payload"]!.GetValue<string>();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(compose))), composeEvent);
    }

    [Fact]
    public async Task The_simulator_measures_the_configured_app_compose_file_and_a_random_instance_id_per_start()
    {
        string file = Path.GetTempFileName();
        try
        {
            const string document = """{"manifest_version":2,"name":"another-app","runner":"docker-compose","docker_compose_file":"services: {}"}""";
            await File.WriteAllTextAsync(file, document);
            await using KeystoreServer first = await KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:Tee:AppComposeFile"] = file });
            await using KeystoreServer second = await KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:Tee:AppComposeFile"] = file });
            JsonNode a = JsonNode.Parse(await first.Client.GetStringAsync("/v1/attestation/registration"))!;
            JsonNode b = JsonNode.Parse(await second.Client.GetStringAsync("/v1/attestation/registration"))!;
            Assert.Equal(document, a["app_compose"]!.GetValue<string>());
            string Payload(JsonNode args, string name) =>
                args["event_log"]!.AsArray().Single(e => e!["event"]!.GetValue<string>() == name)!["event_payload"]!.GetValue<string>();
            string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(document)));
            Assert.Equal(hash, Payload(a, "compose-hash"));
            Assert.Equal(hash, Payload(b, "compose-hash"));
            // dstack without a KMS: app-id is the compose hash's first 20 bytes.
            Assert.Equal(hash[..40], Payload(a, "app-id"));
            Assert.NotEqual(Payload(a, "instance-id"), Payload(b, "instance-id"));
            Assert.Equal(40, Payload(a, "instance-id").Length);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Every_boot_is_a_new_worker_key()
    {
        await using KeystoreServer first = await KeystoreServer.StartAsync();
        await using KeystoreServer second = await KeystoreServer.StartAsync();
        string k1 = JsonNode.Parse(await first.Client.GetStringAsync("/v1/attestation"))!["workerPublicKey"]!.GetValue<string>();
        string k2 = JsonNode.Parse(await second.Client.GetStringAsync("/v1/attestation"))!["workerPublicKey"]!.GetValue<string>();
        Assert.NotEqual(k1, k2);
    }

    [Fact]
    public async Task The_simulator_is_refused_inside_a_real_TEE_and_nothing_is_attested()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync(
            configure: builder => builder.Services.AddSingleton<ITeeDetector>(new InsideTdx()), waitUntilReady: false);
        string detail = "";
        for (int i = 0; i < 200 && !detail.Contains("refused"); i++)
        {
            await Task.Delay(20);
            detail = await (await server.Client.GetAsync("/v1/ready")).Content.ReadAsStringAsync();
        }
        Assert.Contains("simulator is refused inside a real TEE", detail);
        using HttpResponseMessage attestation = await server.Client.GetAsync("/v1/attestation");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, attestation.StatusCode);
        Assert.Contains("not-attested", await attestation.Content.ReadAsStringAsync());
        // Boot stopped at attest: no master secret, so no keys either.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Client.GetAsync("/v1/accounts/alice.near/keys/ethereum")).StatusCode);
    }

    [Fact]
    public async Task With_attestation_off_the_endpoint_says_so()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?> { ["Keystore:Tee:Provider"] = "none" });
        using HttpResponseMessage r = await server.Client.GetAsync("/v1/attestation");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        JsonNode problem = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.Equal("urn:near-tee-keystore:problem:not-attested", problem["type"]!.GetValue<string>());
        Assert.Contains("off", problem["detail"]!.GetValue<string>());
        JsonNode ready = JsonNode.Parse(await server.Client.GetStringAsync("/v1/ready"))!;
        Assert.False(ready["tee"]!["simulated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Key_responses_say_bindings_are_disabled_without_a_registered_worker()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        string raw = await server.Client.GetStringAsync("/v1/accounts/alice.near/keys/ethereum");
        Assert.Contains("\"path\":\"m/44'/60'/0'/0/0\"", raw); // written as is, not as \u0027
        JsonNode key = JsonNode.Parse(raw)!;
        Assert.Equal("disabled", key["binding"]!["state"]!.GetValue<string>(), ignoreCase: true);
    }

    private sealed class InsideTdx : ITeeDetector
    {
        public bool IsRealTeePresent => true;
    }
}
