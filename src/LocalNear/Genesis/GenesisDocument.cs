using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Near.Encoding;

namespace Keystore.LocalNear.Genesis;

/// <summary>One account of the genesis document. <see cref="CodeFile"/> is wasm deployed at genesis (absolute path).</summary>
public sealed record GenesisAccountSpec(string AccountId, UInt128 Balance, string? CodeFile = null, string? NativeContract = null);

/// <summary>
/// The accounts a local chain starts with. File form (every field but <c>accounts</c> optional):
/// <code>
/// {
///   "root_account": "test.near",
///   "gas_price": "100000000",
///   "accounts": [
///     { "account_id": "test.near", "balance": "1000000000000000000000000000000000" },
///     { "account_id": "app.test.near", "balance": "10000000000000000000000000000", "code_file": "out/app.wasm" },
///     { "account_id": "v1.signer.test.near", "balance": "10000000000000000000000000000", "native_contract": "mpc-signer" }
///   ]
/// }
/// </code>
/// Balances are yoctoNEAR strings; <c>code_file</c> is relative to the document. Each account gets one
/// full-access key, generated on first start and kept in the data directory.
/// </summary>
public sealed record GenesisDocument(string RootAccountId, UInt128 GasPrice, IReadOnlyList<GenesisAccountSpec> Accounts)
{
    /// <summary>The native contract kind of the MPC signer (<c>Mpc.MpcSignerContract</c>).</summary>
    public const string MpcSignerNative = "mpc-signer";

    public static readonly UInt128 OneNear = UInt128.Parse("1000000000000000000000000");

    /// <summary>NEAR's minimum gas price, in yoctoNEAR per gas unit.</summary>
    public static readonly UInt128 DefaultGasPrice = 100_000_000;

    public const string DefaultRootAccount = "test.near";

    /// <summary>
    /// The keystore's local network: the root account, the DAO and chain-keys contract accounts (code deployed by
    /// the bootstrapper), the MPC signer (native contract) and three council members.
    /// </summary>
    public static GenesisDocument Default { get; } = new(DefaultRootAccount, DefaultGasPrice,
    [
        new(DefaultRootAccount, OneNear * 1_000_000_000),
        new("dao.test.near", OneNear * 10_000),
        new("chain-keys.test.near", OneNear * 10_000),
        new("v1.signer.test.near", OneNear * 10_000, NativeContract: MpcSignerNative),
        new("alice.test.near", OneNear * 1_000),
        new("bob.test.near", OneNear * 1_000),
        new("carol.test.near", OneNear * 1_000),
    ]);

    public GenesisAccountSpec? MpcSigner => Accounts.FirstOrDefault(a => a.NativeContract == MpcSignerNative);

    public static GenesisDocument Load(string path)
    {
        string full = Path.GetFullPath(path);
        return Parse(File.ReadAllText(full), Path.GetDirectoryName(full)!);
    }

    /// <summary>Parses and validates a genesis document; relative code files resolve against <paramref name="baseDirectory"/>.</summary>
    public static GenesisDocument Parse(string json, string baseDirectory)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new FormatException("Genesis document is not valid JSON: " + e.Message, e); }
        if (root is not JsonObject doc) throw new FormatException("Genesis document must be a JSON object.");
        if (doc["accounts"] is not JsonArray list || list.Count == 0) throw new FormatException("Genesis document needs a non-empty 'accounts' array.");

        var accounts = new List<GenesisAccountSpec>();
        foreach (var item in list)
        {
            string id = Text(item?["account_id"]) ?? throw new FormatException("Every genesis account needs an 'account_id'.");
            if (!AccountId.IsValid(id)) throw new FormatException($"Genesis account id '{id}' is not a valid NEAR account id.");
            string balanceText = Text(item!["balance"]) ?? throw new FormatException($"Genesis account '{id}' needs a 'balance' (yoctoNEAR string).");
            if (!UInt128.TryParse(balanceText, out var balance)) throw new FormatException($"Genesis account '{id}': balance '{balanceText}' is not a yoctoNEAR amount.");
            string? code = Text(item["code_file"]);
            if (code is not null)
            {
                code = Path.GetFullPath(code, baseDirectory);
                if (!File.Exists(code)) throw new FormatException($"Genesis account '{id}': code file '{code}' does not exist.");
            }
            string? native = Text(item["native_contract"]);
            if (native is not null && native != MpcSignerNative) throw new FormatException($"Genesis account '{id}': unknown native contract '{native}' (known: {MpcSignerNative}).");
            if (native is not null && code is not null) throw new FormatException($"Genesis account '{id}' cannot have both code_file and native_contract.");
            if (accounts.Any(a => a.AccountId == id)) throw new FormatException($"Genesis account '{id}' is listed twice.");
            accounts.Add(new GenesisAccountSpec(id, balance, code, native));
        }
        if (accounts.Count(a => a.NativeContract == MpcSignerNative) > 1) throw new FormatException("Only one genesis account can host the MPC signer.");

        string rootAccount = Text(doc["root_account"]) ?? accounts[0].AccountId;
        if (accounts.All(a => a.AccountId != rootAccount)) throw new FormatException($"root_account '{rootAccount}' is not among the genesis accounts.");
        var gasPrice = DefaultGasPrice;
        if (Text(doc["gas_price"]) is string gp && (!UInt128.TryParse(gp, out gasPrice) || gasPrice == 0))
            throw new FormatException($"gas_price '{gp}' is not a positive yoctoNEAR amount.");
        return new GenesisDocument(rootAccount, gasPrice, accounts);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
