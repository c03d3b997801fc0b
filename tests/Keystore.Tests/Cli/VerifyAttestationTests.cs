using System.CommandLine;
using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.Cli;
using Keystore.Tests.Support;

namespace Keystore.Tests.Cli;

/// <summary><c>verify-quote --attestation F</c> takes a saved <c>GET /v1/attestation</c> answer as it is.</summary>
public class VerifyAttestationTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand { VerifyQuoteCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(["verify-quote", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_saved_attestation_verifies_with_its_root_and_replays_its_event_log_and_the_Intel_root_failure_is_named()
    {
        string dir = Directory.CreateTempSubdirectory("verify-attestation-").FullName;
        try
        {
            await using (KeystoreServer server = await KeystoreServer.StartAsync())
                await File.WriteAllTextAsync(Path.Combine(dir, "attestation.json"), await server.Client.GetStringAsync("/v1/attestation"));
            File.WriteAllBytes(Path.Combine(dir, "root.der"), new SimulatedTdxProvider(SimulatedTdxOptions.LocalDevelopment).RootCaDer);

            var (code, output, err) = Run("--attestation", Path.Combine(dir, "attestation.json"), "--root-ca", Path.Combine(dir, "root.der"), "--json");
            Assert.True(code == 0, output + err);
            JsonNode result = JsonNode.Parse(output)!;
            Assert.Equal("UpToDate", result["status"]!.GetValue<string>());
            Assert.Equal(result["rtmr3"]!.GetValue<string>(), result["rtmr3Replay"]!.GetValue<string>());

            (code, output, _) = Run("--attestation", Path.Combine(dir, "attestation.json"), "--json");
            Assert.NotEqual(0, code);
            string error = JsonNode.Parse(output)!["error"]!.GetValue<string>();
            Assert.Contains("certificate", error, StringComparison.Ordinal);
            Assert.Contains("verified against the pinned Intel SGX Root CA", error, StringComparison.Ordinal);
            Assert.Contains("simulated", error, StringComparison.Ordinal);

            (code, _, err) = Run("--attestation", Path.Combine(dir, "attestation.json"), "--quote", Path.Combine(dir, "attestation.json"));
            Assert.NotEqual(0, code);
            Assert.Contains("not both", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
