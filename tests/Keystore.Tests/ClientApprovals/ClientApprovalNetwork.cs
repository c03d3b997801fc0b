using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.Near.Encoding;
using Keystore.Tests.Support;

namespace Keystore.Tests.ClientApprovals;

/// <summary>
/// The real keystore with one owner account (<see cref="Owner"/>), three approvers the agents' policy names
/// (bob, carol, dave: 2 of 3 above 0.1 ETH on chain 1) and erin, named nowhere: five NEAR accounts whose full-access keys
/// the test holds, written as NEAR CLI credentials files so the TypeScript client can load them too. Webhooks may point at
/// loopback receivers.
/// </summary>
public sealed class ClientApprovalNetwork : IAsyncDisposable
{
    public const string Owner = "frank.near";
    public static readonly string[] Approvers = ["bob.near", "carol.near", "dave.near"];
    public const string Stranger = "erin.near";
    public const string Recipient = "0x742d35Cc6634C0532925a3b844Bc454e4438f44e";

    /// <summary>An agent policy: any mainnet transfer up to 1 ETH a day, above 0.1 ETH only with 2 of the 3 approvers.</summary>
    public const string Policy = """
        {"kind":"agent","version":1,"rules":[{"id":"payments","chains":["ethereum"],"operations":["transaction"],
         "limits":{"eth:1":{"daily":"1000000000000000000"}},
         "approvals":{"required":2,"approvers":["bob.near","carol.near","dave.near"],"above":{"eth:1":"100000000000000000"}}}]}
        """;

    private readonly Dictionary<string, NearKeyPair> _keys;

    private ClientApprovalNetwork(KeystoreServer server, Dictionary<string, NearKeyPair> keys, string credentialsDir)
    {
        Server = server;
        _keys = keys;
        CredentialsDir = credentialsDir;
    }

    public KeystoreServer Server { get; }

    /// <summary>A folder with <c>&lt;account&gt;.json</c> (NEAR CLI format) for the owner, the approvers and the stranger.</summary>
    public string CredentialsDir { get; }

    public static async Task<ClientApprovalNetwork> StartAsync(IDictionary<string, string?>? settings = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "keystore-client-approvals-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var keys = new Dictionary<string, NearKeyPair>(StringComparer.Ordinal);
        var config = new Dictionary<string, string?> { ["Keystore:Webhooks:AllowInsecureLoopback"] = "true" };
        foreach (string account in (string[])[Owner, .. Approvers, Stranger])
        {
            byte[] seed = RandomNumberGenerator.GetBytes(32);
            NearKeyPair key = NearKeyPair.FromSeed(seed);
            keys[account] = key;
            config[$"Keystore:Owners:{account}:0"] = key.PublicKey;
            // What NEAR CLI writes: the secret key is ed25519:<base58 of seed ‖ public key>.
            await File.WriteAllTextAsync(Path.Combine(dir, account + ".json"), new JsonObject
            {
                ["account_id"] = account,
                ["public_key"] = key.PublicKey,
                ["private_key"] = "ed25519:" + Base58.Encode([.. seed, .. key.PublicKeyBytes]),
            }.ToJsonString());
            CryptographicOperations.ZeroMemory(seed);
        }
        foreach ((string k, string? v) in settings ?? new Dictionary<string, string?>()) config[k] = v;
        KeystoreServer server = await KeystoreServer.StartAsync(config);
        return new ClientApprovalNetwork(server, keys, dir);
    }

    public NearKeyPair KeyOf(string account) => _keys[account];

    /// <summary>A client acting as <paramref name="account"/> with its full-access key.</summary>
    public KeystoreClient As(string account) => new(Server.Client, account, _keys[account]);

    /// <summary>The owner registers a fresh agent key under <see cref="Policy"/>; returns the agent's client.</summary>
    public async Task<(KeystoreClient Agent, NearKeyPair Key)> NewAgentAsync()
    {
        NearKeyPair key = NearKeyPair.Generate();
        await As(Owner).CreateAgentAsync(key.PublicKey, "payments-bot", DateTimeOffset.UtcNow.AddDays(1), JsonNode.Parse(Policy)!);
        return (new KeystoreClient(Server.Client, Owner, key), key);
    }

    public static EthereumTransactionRequest Transfer(string wei, int nonce) => new()
    {
        ChainId = "1", Nonce = nonce.ToString(System.Globalization.CultureInfo.InvariantCulture), To = Recipient, Value = wei,
        Gas = "21000", MaxFeePerGas = "20000000000", MaxPriorityFeePerGas = "1000000000",
    };

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        foreach (NearKeyPair key in _keys.Values) key.Dispose();
        Directory.Delete(CredentialsDir, recursive: true);
    }
}
