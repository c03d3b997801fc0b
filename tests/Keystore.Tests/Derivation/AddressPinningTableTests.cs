using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Chains;
using Keystore.Chains.Bitcoin;
using Keystore.Chains.Ethereum;
using Keystore.Chains.Solana;
using Keystore.Derivation;
using Keystore.MasterSecrets;
using Keystore.Tests.Support;

namespace Keystore.Tests.Derivation;

/// <summary>
/// Every address the keystore ever handed out holds someone's funds: a change to the entropy label, a path or an
/// address encoding must fail here. The table (Vectors/address-pinning-table.json) was produced by the derivation
/// as it stood before the chain code moved onto NBitcoin and Nethereum, and is checked against independent wallets.
/// </summary>
public class AddressPinningTableTests
{
    private sealed record Row(string Master, string Account, string Chain, string? Network, uint Index,
        string Path, string Mnemonic, string PublicKey, string Address);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static IReadOnlyList<Row> Table() =>
        JsonSerializer.Deserialize<List<Row>>(File.ReadAllText(RepoPaths.Vector("address-pinning-table.json")), Web)!;

    [Fact]
    public void The_table_covers_several_masters_edge_case_accounts_every_chain_and_the_index_extremes()
    {
        IReadOnlyList<Row> table = Table();
        Assert.Equal(336, table.Count);
        Assert.Equal(3, table.Select(r => r.Master).Distinct().Count());
        Assert.Equal(7, table.Select(r => r.Account).Distinct().Count());
        Assert.Contains(table, r => r.Account.Length == 2);
        Assert.Contains(table, r => r.Account.Length == 64);
        Assert.Equal(["bitcoin/mainnet", "bitcoin/testnet", "ethereum/", "solana/"],
            table.Select(r => r.Chain + "/" + r.Network).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal([0u, 1u, 7u, 2147483647u], table.Select(r => r.Index).Distinct().Order());
        // Distinct keys everywhere: a table of one repeated address would pin nothing.
        Assert.Equal(table.Count, table.Select(r => r.Chain + r.Network + r.Address).Distinct().Count());
    }

    [Fact]
    public void Every_row_of_the_address_pinning_table_is_derived_unchanged()
    {
        var failures = new List<string>();
        Span<byte> entropy = stackalloc byte[32];
        foreach (Row row in Table())
        {
            using var master = new MasterSecret(Convert.FromHexString(row.Master));
            IChainSigner chain = row.Chain switch
            {
                "ethereum" => new EthereumSigner(),
                "bitcoin" => new BitcoinSigner(row.Network == "mainnet" ? BitcoinNetwork.Mainnet : BitcoinNetwork.Testnet),
                "solana" => new SolanaSigner(),
                _ => throw new InvalidDataException(row.Chain),
            };
            AccountKeyDeriver.DeriveAccountEntropy(master, row.Account, entropy);
            using SigningKey key = AccountKeyDeriver.Derive(master, row.Account, chain, row.Index);
            ChainAddress address = chain.Describe(key.PublicKey);
            var derived = row with
            {
                Path = chain.DerivationPath(row.Index).ToString(),
                Mnemonic = Bip39Text.ToMnemonic(entropy),
                PublicKey = address.PublicKey,
                Address = address.Address,
            };
            if (derived != row) failures.Add($"expected {row}\nderived  {derived}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_address_pinning_table_matches_an_independent_derivation_by_ethers_and_scure()
    {
        IReadOnlyList<Row> table = Table();
        var rows = new JsonArray();
        foreach (Row row in table)
            rows.Add(new JsonObject
            {
                ["master"] = row.Master,
                ["account"] = row.Account,
                ["chain"] = row.Chain,
                ["network"] = row.Network,
                ["index"] = row.Index,
            });
        JsonNode oracle = await NodeOracle.RunAsync("keystore-address-table.mjs", new JsonObject { ["rows"] = rows });
        JsonArray answers = oracle["rows"]!.AsArray();
        Assert.Equal(table.Count, answers.Count);
        for (int i = 0; i < table.Count; i++)
        {
            Row row = table[i];
            JsonNode answer = answers[i]!;
            Assert.Equal(row.Mnemonic, answer["mnemonic"]!.GetValue<string>());
            Assert.Equal(row.Path, answer["path"]!.GetValue<string>());
            Assert.Equal(row.PublicKey, answer["publicKey"]!.GetValue<string>());
            Assert.Equal(row.Address, answer["address"]!.GetValue<string>());
        }
    }

    [Fact]
    public void The_entropy_label_is_the_documented_one()
    {
        // README "Key derivation": entropy_U = HMAC-SHA256(master, "near-tee-keystore:v1:user:" + U), computed here with .NET's HMAC.
        Row row = Table()[0];
        byte[] expected = HMACSHA256.HashData(Convert.FromHexString(row.Master), Encoding.UTF8.GetBytes("near-tee-keystore:v1:user:" + row.Account));
        Assert.Equal(row.Mnemonic, Bip39Text.ToMnemonic(expected));
    }
}
