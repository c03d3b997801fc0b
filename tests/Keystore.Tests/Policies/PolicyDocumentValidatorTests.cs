using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Policies.Documents;
using Keystore.Policies.Schema;

namespace Keystore.Tests.Policies;

/// <summary>The hand-written validator agrees with the published JSON Schema (checked by ajv) and names the bad field.</summary>
public class PolicyDocumentValidatorTests
{
    private const string Token = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
    private const string Mint = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";

    /// <summary>A rule using every property, to vary one field at a time.</summary>
    private static string FullRule(string replace = "", string with = "")
    {
        string rule = """
        {"id": "treasury", "chains": ["ethereum", "solana", "bitcoin"],
         "operations": ["transaction", "personal-message", "typed-data", "psbt", "offchain-message"],
         "destinations": {"allow": ["0xABabababababababababababababababababABAB", "bc1qnghdpeupr8wzys86wdzs5rcdy379dpquapucj0"], "deny": ["0x000000000000000000000000000000000000dEaD"]},
         "contracts": [{"address": "0x7a250d5630b4cf539739df2c5dacb4c659f2488d", "selectors": ["0x38ed1739"]}, {"address": "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"}],
         "programs": ["JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4"],
         "eip712Domains": [{"name": "USD Coin", "version": "2", "chainId": 1, "verifyingContract": "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"}, {"name": "Ether Mail"}],
         "limits": {"eth:1": {"perTransaction": "100000000000000000", "daily": "500000000000000000"},
                    "eth:1:erc20:TOKEN": {"hourly": "1000000", "weekly": "5000000", "monthly": "20000000"},
                    "sol": {}, "sol:spl:MINT": {"daily": "1"}, "btc": {"perTransaction": "100000"}},
         "requestsPerMinute": 30,
         "timeOfDay": [{"from": "09:00", "to": "17:30"}, {"from": "22:00", "to": "02:00"}],
         "allowOpaque": false, "allowUnlimitedApprovals": false}
        """.Replace("TOKEN", Token, StringComparison.Ordinal).Replace("MINT", Mint, StringComparison.Ordinal);
        return replace.Length == 0 ? rule : rule.Replace(replace, with, StringComparison.Ordinal);
    }

    private static string Agent(string rule) => $$"""{"kind": "agent", "version": 1, "rules": [{{rule}}]}""";

    /// <summary>Documents and whether they are valid; the path a refusal must name (null: valid).</summary>
    public static readonly (string Document, string? Path)[] Cases =
    [
        (Agent(FullRule()), null),
        ("""{"kind": "agent", "version": 1, "rules": []}""", null),
        ("""{"kind": "account", "version": 1}""", null),
        ("""{"kind": "account", "version": 1, "frozen": true, "limits": {"eth:1": {"daily": "0"}}, "requestsPerMinute": 1000000}""", null),
        (Agent("""{"chains": ["bitcoin"], "operations": ["psbt"]}"""), null),
        ("""{"kind": "agent", "version": 1.0, "rules": []}""", null),
        (Agent("""{"chains": ["bitcoin"], "operations": ["psbt"], "requestsPerMinute": 6e1}"""), null),
        ("""{"kind": "agent", "version": 2, "rules": []}""", "$.version"),
        ("""{"kind": "agent", "version": "1", "rules": []}""", "$.version"),
        ("""{"kind": "robot", "version": 1, "rules": []}""", "$.kind"),
        ("""{"version": 1, "rules": []}""", "$.kind"),
        ("""{"kind": "agent", "version": 1}""", "$.rules"),
        ("""{"kind": "agent", "version": 1, "rules": [], "extra": 1}""", "$.extra"),
        ("""{"kind": "account", "version": 1, "rules": []}""", "$.rules"),
        ("""{"kind": "account", "version": 1, "frozen": "yes"}""", "$.frozen"),
        ("""[]""", "$"),
        (Agent(FullRule("\"chains\": [\"ethereum\", \"solana\", \"bitcoin\"]", "\"chains\": []")), "$.rules[0].chains"),
        (Agent(FullRule("\"chains\": [\"ethereum\", \"solana\", \"bitcoin\"]", "\"chains\": [\"near\"]")), "$.rules[0].chains[0]"),
        (Agent(FullRule("\"chains\": [\"ethereum\", \"solana\", \"bitcoin\"]", "\"chains\": [\"ethereum\", \"ethereum\"]")), "$.rules[0].chains[1]"),
        (Agent(FullRule("\"psbt\", ", "\"sign-anything\", ")), "$.rules[0].operations[3]"),
        (Agent(FullRule("\"daily\": \"500000000000000000\"", "\"daily\": \"-5\"")), "$.rules[0].limits['eth:1'].daily"),
        (Agent(FullRule("\"daily\": \"500000000000000000\"", "\"daily\": \"5e17\"")), "$.rules[0].limits['eth:1'].daily"),
        (Agent(FullRule("\"daily\": \"500000000000000000\"", "\"daily\": 500000000000000000")), "$.rules[0].limits['eth:1'].daily"),
        (Agent(FullRule("\"daily\": \"500000000000000000\"", "\"daily\": \"0.5\"")), "$.rules[0].limits['eth:1'].daily"),
        (Agent(FullRule("\"daily\": \"500000000000000000\"", "\"daily\": \"0500\"")), "$.rules[0].limits['eth:1'].daily"),
        (Agent(FullRule("\"daily\": \"500000000000000000\"", "\"yearly\": \"5\"")), "$.rules[0].limits['eth:1'].yearly"),
        (Agent(FullRule("\"eth:1\":", "\"ETH\":")), "$.rules[0].limits.ETH"),
        (Agent(FullRule("\"eth:1\":", "\"eth:01\":")), "$.rules[0].limits['eth:01']"),
        (Agent(FullRule("\"sol\": {}", "\"sol\": []")), "$.rules[0].limits.sol"),
        (Agent(FullRule("\"requestsPerMinute\": 30", "\"requestsPerMinute\": 0")), "$.rules[0].requestsPerMinute"),
        (Agent(FullRule("\"requestsPerMinute\": 30", "\"requestsPerMinute\": 1.5")), "$.rules[0].requestsPerMinute"),
        (Agent(FullRule("\"requestsPerMinute\": 30", "\"requestsPerMinute\": 1e400")), "$.rules[0].requestsPerMinute"),
        (Agent(FullRule("\"requestsPerMinute\": 30", "\"requestsPerMinute\": -1")), "$.rules[0].requestsPerMinute"),
        (Agent(FullRule("\"from\": \"22:00\"", "\"from\": \"24:00\"")), "$.rules[0].timeOfDay[1].from"),
        (Agent(FullRule("\"from\": \"22:00\"", "\"from\": \"9:00\"")), "$.rules[0].timeOfDay[1].from"),
        (Agent(FullRule("\"selectors\": [\"0x38ed1739\"]", "\"selectors\": [\"0x38ed17\"]")), "$.rules[0].contracts[0].selectors[0]"),
        (Agent(FullRule("\"selectors\": [\"0x38ed1739\"]", "\"selectors\": []")), "$.rules[0].contracts[0].selectors"),
        (Agent(FullRule("{\"name\": \"Ether Mail\"}", "{}")), "$.rules[0].eip712Domains[1]"),
        (Agent(FullRule("\"chainId\": 1,", "\"chainId\": 0,")), "$.rules[0].eip712Domains[0].chainId"),
        (Agent(FullRule("\"JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4\"", "\"0OIl\"")), "$.rules[0].programs[0]"),
        (Agent(FullRule("\"0x000000000000000000000000000000000000dEaD\"", "\"0x0000 dead\"")), "$.rules[0].destinations.deny[0]"),
        (Agent(FullRule("\"allowOpaque\": false", "\"allowOpaque\": \"false\"")), "$.rules[0].allowOpaque"),
        (Agent(FullRule("\"id\": \"treasury\"", "\"id\": \"has space\"")), "$.rules[0].id"),
        (Agent(FullRule("\"allowOpaque\": false", "\"allowOpaque\": false, \"capabilities\": []")), "$.rules[0].capabilities"),
        (Agent("""{"operations": ["psbt"]}"""), "$.rules[0].chains"),
        (Agent("""{"chains": ["bitcoin"], "operations": ["psbt"], "timeOfDay": []}"""), "$.rules[0].timeOfDay"),
        ("{\"kind\": \"agent\", \"version\": 1, \"rules\": [" + string.Join(",", Enumerable.Repeat("""{"chains": ["bitcoin"], "operations": ["psbt"]}""", 65)) + "]}", "$.rules"),
        (Agent("{\"chains\": [\"ethereum\"], \"operations\": [\"transaction\"], \"destinations\": {\"deny\": [" + string.Join(",", Enumerable.Repeat("\"0x000000000000000000000000000000000000dEaD\"", 1025)) + "]}}"), "$.rules[0].destinations.deny"),
        ("{\"kind\": \"account\", \"version\": 1, \"limits\": {" + string.Join(",", Enumerable.Range(1, 65).Select(i => $"\"eth:{i}\": {{}}")) + "}}", "$.limits"),
    ];

    [Fact]
    public async Task The_validator_and_the_published_schema_checked_by_ajv_agree_on_every_document()
    {
        var ajv = await NodeOracle.RunAsync("policy-schema.mjs", new JsonObject
        {
            ["schema"] = PolicySchema.Json,
            ["documents"] = new JsonArray(Cases.Select(c => (JsonNode)JsonValue.Create(c.Document)!).ToArray()),
        });
        for (int i = 0; i < Cases.Length; i++)
        {
            PolicyValidation result = PolicyDocumentValidator.Validate(Encoding.UTF8.GetBytes(Cases[i].Document));
            bool schemaValid = (bool)ajv["valid"]![i]!;
            Assert.True(result.IsValid == schemaValid, $"case {i} ({Cases[i].Path}): validator {result.Error}, ajv {ajv["errors"]![i]}");
            Assert.Equal(Cases[i].Path is null, result.IsValid);
        }
    }

    [Fact]
    public void A_refusal_names_the_bad_field_by_its_JSON_path()
    {
        foreach (var (document, path) in Cases.Where(c => c.Path is not null))
        {
            PolicyValidationError? error = PolicyDocumentValidator.Validate(Encoding.UTF8.GetBytes(document)).Error;
            Assert.NotNull(error);
            Assert.True(path == error.Path, $"expected {path}, got {error}");
        }
    }

    [Fact]
    public void The_schema_file_in_the_repository_is_the_one_embedded()
    {
        string file = File.ReadAllText(Path.Combine(RepoPaths.Root, "src/Keystore/Policies/Schema/policy.schema.json"));
        Assert.Equal(file, PolicySchema.Json);
        Assert.Contains(AssetId.PatternText + "$", file, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_document_becomes_the_policy_it_describes()
    {
        PolicyValidation result = PolicyDocumentValidator.ValidateAgent(Encoding.UTF8.GetBytes(Agent(FullRule())));
        PolicyRule rule = Assert.Single(result.Agent!.Rules);
        Assert.Equal("treasury", rule.Id);
        Assert.Equal(3, rule.Chains.Count);
        Assert.Equal(5, rule.Operations.Count);
        Assert.Contains("0xabababababababababababababababababababab", rule.AllowDestinations!);
        Assert.Contains("0x000000000000000000000000000000000000dead", rule.DenyDestinations);
        Assert.Equal(Token, rule.Contracts[1].Address);
        Assert.Null(rule.Contracts[1].Selectors);
        Assert.Equal(BigInteger.Parse("100000000000000000"), rule.Limits["eth:1"].PerTransaction);
        Assert.Equal([("daily", TimeSpan.FromDays(1), BigInteger.Parse("500000000000000000"))], rule.Limits["eth:1"].Windows.Select(w => (w.Period, w.Length, w.Limit)));
        Assert.Equal(["hourly", "weekly", "monthly"], rule.Limits[$"eth:1:erc20:{Token}"].Windows.Select(w => w.Period));
        Assert.Empty(rule.Limits["sol"].Windows);
        Assert.Equal(30, rule.RequestsPerMinute);
        Assert.Equal(new TimeOfDayWindow(22 * 60, 2 * 60), rule.TimeOfDay![1]);
        Assert.Equal("rules[0]", PolicyDocumentValidator.ValidateAgent(Encoding.UTF8.GetBytes(Agent("""{"chains": ["bitcoin"], "operations": ["psbt"]}"""))).Agent!.Rules[0].Id);
        Assert.Equal("$.kind", PolicyDocumentValidator.ValidateAccount(Encoding.UTF8.GetBytes(Agent(FullRule()))).Error!.Path);
        Assert.True(PolicyDocumentValidator.ValidateAccount(Encoding.UTF8.GetBytes("""{"kind": "account", "version": 1, "frozen": true}""")).Account!.Frozen);
    }

    [Fact]
    public void Hostile_documents_get_a_clear_error_and_never_an_exception()
    {
        string Refusal(string document) => PolicyDocumentValidator.Validate(Encoding.UTF8.GetBytes(document)).Error?.ToString() ?? "accepted";
        Assert.Contains("2^256-1", Refusal(Agent(FullRule("\"daily\": \"500000000000000000\"", "\"daily\": \"" + BigInteger.Pow(2, 256) + "\""))), StringComparison.Ordinal);
        Assert.Equal("accepted", Refusal(Agent(FullRule("\"daily\": \"500000000000000000\"", "\"daily\": \"" + (BigInteger.Pow(2, 256) - 1) + "\""))));
        Assert.Contains("nested deeper", Refusal(new string('[', 100) + new string(']', 100)), StringComparison.Ordinal);
        Assert.Contains("nested deeper", Refusal(Agent(FullRule("\"sol\": {}", "\"sol\": {\"a\": {\"b\": {\"c\": {\"d\": {}}}}}"))), StringComparison.Ordinal);
        Assert.Contains("larger than", Refusal(Agent(FullRule()) + new string(' ', PolicyDocumentValidator.MaxDocumentBytes)), StringComparison.Ordinal);
        Assert.Equal("$.version: is named twice", Refusal("""{"kind": "agent", "version": 1, "version": 1, "rules": []}"""));
        Assert.Contains("is named twice", Refusal(Agent(FullRule("\"sol\": {}", "\"sol\": {}, \"sol\": {}"))), StringComparison.Ordinal);
        Assert.StartsWith("$: not valid JSON", Refusal("{\"kind\": \"agent\", "), StringComparison.Ordinal);
        Assert.StartsWith("$: not valid JSON", Refusal(""), StringComparison.Ordinal);
        Assert.Contains("must be an integer", Refusal(Agent(FullRule("\"requestsPerMinute\": 30", "\"requestsPerMinute\": 1e99999"))), StringComparison.Ordinal);
        Assert.Contains("characters", Refusal(Agent(FullRule("\"Ether Mail\"", "\"" + new string('x', 257) + "\""))), StringComparison.Ordinal);
        Assert.Equal("$: contains a string that is not valid Unicode", Refusal(Agent(FullRule("\"id\": \"treasury\"", "\"id\": \"\\ud800\""))));
        Assert.Equal("$: contains a string that is not valid Unicode", Refusal(Agent(FullRule("\"sol\": {}", "\"\\udfff\": {}"))));
        Assert.Equal("$: contains a string that is not valid Unicode", Refusal(Agent(FullRule("\"Ether Mail\"", "\"\\ud800x\""))));
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            byte[] noise = Encoding.UTF8.GetBytes(Agent(FullRule()));
            for (int j = 0; j < 3; j++) noise[random.Next(noise.Length)] = (byte)random.Next(0, 128);
            PolicyValidation result = PolicyDocumentValidator.Validate(noise);
            Assert.True(result.IsValid || result.Error!.Path.StartsWith('$'));
        }
    }
}
