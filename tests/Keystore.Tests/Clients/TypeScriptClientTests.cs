using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.Near.Encoding;
using Keystore.Tests.Support;

namespace Keystore.Tests.Clients;

/// <summary>
/// The TypeScript client (clients/typescript, built by <c>npm run build</c>) runs its node:test suite against this real
/// keystore, authenticated with a NEAR CLI credentials file; the suite checks each signature with ethers,
/// @scure/btc-signer, @noble/curves and @solana/web3.js.
/// </summary>
public class TypeScriptClientTests
{
    [Fact]
    public async Task The_TypeScript_client_signs_on_every_chain_against_the_real_keystore()
    {
        string package = Path.Combine(RepoPaths.Root, "clients", "typescript");
        Assert.True(File.Exists(Path.Combine(package, "dist", "index.js")),
            "clients/typescript is not built: run 'npm ci && npm run build' there (./test.sh does).");
        string credentials = Path.Combine(Path.GetTempPath(), $"keystore-ts-{Guid.NewGuid():N}.json");
        byte[] seed = RandomNumberGenerator.GetBytes(32);
        using NearKeyPair key = NearKeyPair.FromSeed(seed);
        await File.WriteAllTextAsync(credentials, new JsonObject
        {
            ["account_id"] = "dave.near",
            ["public_key"] = key.PublicKey,
            ["private_key"] = "ed25519:" + Base58.Encode([.. seed, .. key.PublicKeyBytes]),
        }.ToJsonString());
        try
        {
            await using KeystoreServer server = await KeystoreServer.StartAsync(new Dictionary<string, string?>
            {
                ["Keystore:Owners:dave.near:0"] = key.PublicKey,
                ["Keystore:Bitcoin:Network"] = "regtest",
            });
            NodeResult result = await NodeOracle.RunProcessAsync(["--test", Path.Combine(package, "test", "client.test.mjs")], null,
                new Dictionary<string, string>
                {
                    ["KEYSTORE_URL"] = server.Client.BaseAddress!.ToString(),
                    ["KEYSTORE_CREDENTIALS"] = credentials,
                    ["KEYSTORE_BITCOIN_NETWORK"] = "regtest",
                });
            Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
            Assert.Contains("# pass 9", result.StdOut, StringComparison.Ordinal);
            Assert.Contains("# fail 0", result.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(credentials);
        }
    }
}
