using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.Near.Encoding;
using Keystore.Tests.Support;

namespace Keystore.Tests.Clients;

/// <summary>The C# client (clients/dotnet) against the real keystore, its results checked by ethers, @scure/btc-signer and @solana/web3.js.</summary>
public class DotnetClientTests : IAsyncLifetime
{
    private const string Account = "bob.near";
    private readonly string _credentials = Path.Combine(Path.GetTempPath(), $"keystore-client-{Guid.NewGuid():N}.json");
    private byte[] _seed = [];
    private NearKeyPair _key = null!;
    private KeystoreServer _server = null!;

    public async Task InitializeAsync()
    {
        _seed = RandomNumberGenerator.GetBytes(32);
        using (NearKeyPair probe = NearKeyPair.FromSeed(_seed))
        {
            // What NEAR CLI writes: the secret key is ed25519:<base58 of seed ‖ public key>.
            File.WriteAllText(_credentials, new JsonObject
            {
                ["account_id"] = Account,
                ["public_key"] = probe.PublicKey,
                ["private_key"] = "ed25519:" + Base58.Encode([.. _seed, .. probe.PublicKeyBytes]),
            }.ToJsonString());
        }
        (string account, _key) = NearKeyPair.FromCredentialsFile(_credentials);
        Assert.Equal(Account, account);
        _server = await KeystoreServer.StartAsync(new Dictionary<string, string?>
        {
            [$"Keystore:Owners:{Account}:0"] = _key.PublicKey,
            ["Keystore:Bitcoin:Network"] = "regtest",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _key.Dispose();
        File.Delete(_credentials);
    }

    private KeystoreClient Client(NearKeyPair? key = null) => new(_server.Client, Account, key ?? _key);

    [Fact]
    public async Task The_header_is_the_signature_near_api_js_makes_for_the_same_NEP413_message()
    {
        byte[] nonce = RandomNumberGenerator.GetBytes(32);
        string message = NearCredential.Message("POST", "/v1/accounts/bob.near/sign/ethereum", "{}"u8, 1700000000000);
        JsonNode signed = await NodeOracle.RunAsync("keystore-nep413.mjs", new JsonObject
        {
            ["secretKey"] = "ed25519:" + Base58.Encode([.. _seed, .. _key.PublicKeyBytes]),
            ["accountId"] = Account,
            ["message"] = message,
            ["recipient"] = NearCredential.DefaultRecipient,
            ["nonce"] = Convert.ToBase64String(nonce),
        });
        Assert.Equal(_key.PublicKey, signed["publicKey"]!.GetValue<string>());
        Assert.Equal(signed["signature"]!.GetValue<string>(),
            Convert.ToBase64String(_key.Sign(NearCredential.Nep413Hash(message, nonce, NearCredential.DefaultRecipient))));
    }

    [Fact]
    public async Task An_EIP1559_transfer_signed_through_the_client_parses_in_ethers_from_the_accounts_address()
    {
        KeystoreClient client = Client();
        KeyInfo key = await client.GetKeyAsync("ethereum");
        SignedEthereumTransaction signed = await client.SignEthereumTransactionAsync(new EthereumTransactionRequest
        {
            ChainId = "11155111", Nonce = "0", To = "0x000000000000000000000000000000000000dEaD", Value = "10000000000000000",
            Gas = "21000", MaxFeePerGas = "30000000000", MaxPriorityFeePerGas = "1000000000",
        });
        Assert.Equal(key.Address, signed.From);
        JsonNode parsed = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "eth-parse", ["signedTransaction"] = signed.SignedTransaction });
        Assert.Equal(key.Address, parsed["from"]!.GetValue<string>());
        Assert.Equal("11155111", parsed["chainId"]!.GetValue<string>());
        Assert.Equal(signed.Hash, parsed["hash"]!.GetValue<string>());

        string signature = await client.SignEthereumMessageAsync("hello from the C# client");
        JsonNode recovered = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject
        {
            ["op"] = "eth-message", ["message"] = "hello from the C# client", ["signature"] = signature,
        });
        Assert.Equal(key.Address, recovered["address"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_PSBT_and_a_Solana_message_signed_through_the_client_verify_in_the_npm_libraries()
    {
        KeystoreClient client = Client();
        KeyInfo btc = await client.GetKeyAsync("bitcoin");
        Assert.StartsWith("bcrt1p", btc.Address, StringComparison.Ordinal);
        JsonNode built = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "psbt-build", ["publicKey"] = btc.PublicKey, ["network"] = "regtest" });
        SignedPsbt psbt = await client.SignPsbtAsync(built["psbt"]!.GetValue<string>());
        JsonNode check = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject
        {
            ["op"] = "psbt-check", ["psbt"] = psbt.Psbt, ["publicKey"] = btc.PublicKey, ["network"] = "regtest",
        });
        Assert.True(check["ourInputValid"]!.GetValue<bool>());
        Assert.Single(psbt.SignedInputs);

        KeyInfo sol = await client.GetKeyAsync("solana", index: 2);
        JsonNode messages = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject { ["op"] = "sol-message", ["address"] = sol.Address });
        string message = messages["message"]!.GetValue<string>();
        SolanaSignature signature = await client.SignSolanaMessageAsync(Convert.FromBase64String(message), index: 2);
        JsonNode verdict = await NodeOracle.RunAsync("keystore-api.mjs", new JsonObject
        {
            ["op"] = "sol-verify", ["message"] = message, ["signature"] = signature.Signature, ["address"] = sol.Address,
        });
        Assert.True(verdict["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Problems_become_typed_exceptions_with_their_stable_type_and_trace_id()
    {
        var bad = await Assert.ThrowsAsync<KeystoreRequestException>(() => Client().SignAsync("ethereum", new JsonObject { ["transaction"] = new JsonObject { ["chainId"] = "1" } }));
        Assert.Equal(400, bad.Status);
        Assert.Equal("invalid-transaction", bad.Slug);
        Assert.False(string.IsNullOrEmpty(bad.TraceId));

        using NearKeyPair stranger = NearKeyPair.Generate();
        var denied = await Assert.ThrowsAsync<KeystoreAuthorizationException>(() => Client(stranger).SignEthereumMessageAsync("x"));
        Assert.Equal(403, denied.Status);
        Assert.Equal("urn:near-tee-keystore:problem:not-account-owner", denied.Type);

        var unknown = await Assert.ThrowsAsync<KeystoreRequestException>(() => Client().GetKeyAsync("dogecoin"));
        Assert.Equal("unknown-chain", unknown.Slug);
    }

    [Fact]
    public void A_secret_key_whose_public_half_does_not_match_is_refused_without_echoing_it()
    {
        using NearKeyPair other = NearKeyPair.Generate();
        string forged = "ed25519:" + Base58.Encode([.. _seed, .. other.PublicKeyBytes]);
        var e = Assert.Throws<FormatException>(() => NearKeyPair.FromSecretKey(forged));
        Assert.DoesNotContain(forged[8..], e.Message, StringComparison.Ordinal);
        Assert.Contains("does not match", e.Message, StringComparison.Ordinal);
        using NearKeyPair fromSeed = NearKeyPair.FromSecretKey("ed25519:" + Base58.Encode(_seed));
        Assert.Equal(_key.PublicKey, fromSeed.PublicKey);
    }
}
