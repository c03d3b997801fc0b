using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.Cli;

namespace Keystore.Tests.Cli;

/// <summary>
/// <c>measure</c> against the contract fixture of contracts/dcap/tests/vectors/local, whose compose hash and key-provider
/// digest were computed by its Python generator (gen_local_pki.py), not by the code under test.
/// </summary>
public class MeasureCommandTests
{
    private static string Fixture(string file) => Path.Combine(RepoPaths.Root, "contracts", "dcap", "tests", "vectors", "local", file);

    private static JsonNode Expected => JsonNode.Parse(File.ReadAllText(Fixture("expected.json")))!;

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand { MeasureCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(["measure", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private static JsonObject ExpectedOsProposal()
    {
        JsonNode e = Expected;
        return new JsonObject
        {
            ["kind"] = "add_os_measurement",
            ["mrtd"] = e["mrtd"]!.GetValue<string>(), ["rtmr0"] = e["rtmr0"]!.GetValue<string>(), ["rtmr1"] = e["rtmr1"]!.GetValue<string>(),
            ["rtmr2"] = e["rtmr2"]!.GetValue<string>(), ["key_provider_digest"] = e["key_provider_digest"]!.GetValue<string>(),
        };
    }

    [Fact]
    public void The_compose_hash_is_sha256_of_the_file_and_the_proposals_are_what_tee_dao_takes()
    {
        var (code, output, _) = Run("--compose", Fixture("app_compose.json"), "--quote", Fixture("quote.bin"), "--event-log", Fixture("event_log.json"), "--json");
        Assert.Equal(0, code);
        JsonNode o = JsonNode.Parse(output)!;
        string hash = Expected["compose_hash"]!.GetValue<string>();
        Assert.Equal(hash, o["compose_hash"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["kind"] = "add_compose_hash", ["compose_hash"] = hash }, o["add_compose_hash"]));
        Assert.True(JsonNode.DeepEquals(ExpectedOsProposal(), o["add_os_measurement"]), o["add_os_measurement"]!.ToJsonString());
    }

    [Fact]
    public void The_second_instance_gives_the_same_proposals_though_its_RTMR3_differs()
    {
        var (_, a, _) = Run("--compose", Fixture("app_compose.json"), "--quote", Fixture("quote.bin"), "--event-log", Fixture("event_log.json"), "--json");
        var (code, b, _) = Run("--compose", Fixture("app_compose.json"), "--quote", Fixture("quote_b.bin"), "--event-log", Fixture("event_log_b.json"), "--json");
        Assert.Equal(0, code);
        Assert.Equal(a, b);
    }

    [Fact]
    public void The_repository_app_compose_prints_its_hash_alone_and_an_OS_set_from_a_json_file()
    {
        string repoCompose = Path.Combine(RepoPaths.Root, "dstack", "app-compose.json");
        var (code, output, _) = Run("--compose", repoCompose);
        Assert.Equal(0, code);
        string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(repoCompose)));
        Assert.Equal($"compose hash: {hash}{Environment.NewLine}add_compose_hash: {{\"kind\":\"add_compose_hash\",\"compose_hash\":\"{hash}\"}}{Environment.NewLine}", output);

        string osFile = Path.GetTempFileName();
        try
        {
            JsonObject os = ExpectedOsProposal();
            os.Remove("kind");
            File.WriteAllText(osFile, os.ToJsonString());
            (code, output, _) = Run("--compose", repoCompose, "--os-measurements", osFile, "--json");
            Assert.Equal(0, code);
            Assert.True(JsonNode.DeepEquals(ExpectedOsProposal(), JsonNode.Parse(output)!["add_os_measurement"]));

            os["rtmr2"] = "AB";
            File.WriteAllText(osFile, os.ToJsonString());
            (code, output, _) = Run("--compose", repoCompose, "--os-measurements", osFile, "--json");
            Assert.Equal(1, code);
            Assert.Equal("rtmr2 must be 48 bytes of lowercase hex", JsonNode.Parse(output)!["error"]!.GetValue<string>());
        }
        finally
        {
            File.Delete(osFile);
        }
    }

    [Fact]
    public void Evidence_of_another_compose_document_or_a_broken_event_log_is_refused()
    {
        string repoCompose = Path.Combine(RepoPaths.Root, "dstack", "app-compose.json");
        var (code, output, _) = Run("--compose", repoCompose, "--quote", Fixture("quote.bin"), "--event-log", Fixture("event_log.json"), "--json");
        Assert.Equal(1, code);
        Assert.StartsWith($"the quote's compose-hash event is {Expected["compose_hash"]!.GetValue<string>()}, not sha256 of --compose",
            JsonNode.Parse(output)!["error"]!.GetValue<string>());
        (code, _, string error) = Run("--compose", Fixture("app_compose.json"), "--quote", Fixture("quote.bin"), "--event-log", Fixture("event_log_b.json"));
        Assert.Equal(1, code);
        Assert.Contains("RTMR3 replay", error);
        (code, _, error) = Run("--compose", Fixture("app_compose.json"), "--quote", Fixture("quote.bin"));
        Assert.Equal(1, code);
        Assert.Contains("--quote with --event-log", error);
        (code, _, error) = Run("--compose", Path.Combine(RepoPaths.Root, "no-such-compose.json"));
        Assert.Equal(1, code);
        Assert.StartsWith("measure failed:", error);
    }
}
