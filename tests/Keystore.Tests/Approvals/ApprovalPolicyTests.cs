using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Keystore.Policies.Decoding;
using Keystore.Policies.Documents;
using Keystore.Policies.Evaluation;
using Keystore.Policies.Schema;
using Keystore.TestSupport.Node;

namespace Keystore.Tests.Approvals;

/// <summary>The rule member <c>approvals</c>: the validator names the bad field (and agrees with ajv where the schema can say it), and the evaluator's decision.</summary>
public sealed class ApprovalPolicyTests
{
    private static string Rule(string approvals, string extra = "") => $$$"""
        {"kind":"agent","version":1,"rules":[{"id":"pay","chains":["ethereum"],"operations":["transaction"],"limits":{"eth:1":{}}{{{extra}}},"approvals":{{{approvals}}}}]}
        """;

    /// <summary>Documents the JSON Schema can judge: the validator and ajv must agree, and a refusal names its path.</summary>
    private static readonly (string Document, string? Path)[] SchemaCases =
    [
        (Rule("""{"required":2,"approvers":["bob.near","carol.near"],"above":{"eth:1":"100"}}"""), null),
        (Rule("""{"required":1,"approvers":["bob.near"]}"""), null),
        (Rule("""{"required":1,"approvers":["bob.near"],"destinationsNotAllowed":true}""", ",\"destinations\":{\"allow\":[\"0x742d35Cc6634C0532925a3b844Bc454e4438f44e\"]}"), null),
        (Rule("""{"approvers":["bob.near"]}"""), "$.rules[0].approvals.required"),
        (Rule("""{"required":1}"""), "$.rules[0].approvals.approvers"),
        (Rule("""{"required":0,"approvers":["bob.near"]}"""), "$.rules[0].approvals.required"),
        (Rule("""{"required":1.5,"approvers":["bob.near"]}"""), "$.rules[0].approvals.required"),
        (Rule("""{"required":1,"approvers":[]}"""), "$.rules[0].approvals.approvers"),
        (Rule("""{"required":1,"approvers":["Bob.near"]}"""), "$.rules[0].approvals.approvers[0]"),
        (Rule("""{"required":1,"approvers":["bob..near"]}"""), "$.rules[0].approvals.approvers[0]"),
        (Rule("""{"required":1,"approvers":["bob.near","bob.near"]}"""), "$.rules[0].approvals.approvers[1]"),
        (Rule("""{"required":1,"approvers":["bob.near"],"above":{"eth:1":"-1"}}"""), "$.rules[0].approvals.above['eth:1']"),
        (Rule("""{"required":1,"approvers":["bob.near"],"destinationsNotAllowed":"yes"}"""), "$.rules[0].approvals.destinationsNotAllowed"),
        (Rule("""{"required":1,"approvers":["bob.near"],"quorum":2}"""), "$.rules[0].approvals.quorum"),
        (Rule("[]"), "$.rules[0].approvals"),
    ];

    /// <summary>What only the validator can see (relations between fields); each refusal names the field.</summary>
    private static readonly (string Document, string Path)[] CrossFieldCases =
    [
        (Rule("""{"required":3,"approvers":["bob.near","carol.near"]}"""), "$.rules[0].approvals.required"),
        (Rule("""{"required":1,"approvers":["bob.near"],"above":{"btc":"1"}}"""), "$.rules[0].approvals.above.btc"),
        (Rule("""{"required":1,"approvers":["bob.near"],"destinationsNotAllowed":true}"""), "$.rules[0].approvals.destinationsNotAllowed"),
    ];

    [Fact]
    public async Task The_validator_and_ajv_agree_on_approvals_and_a_refusal_names_the_field()
    {
        JsonNode result = await NodeOracle.RunAsync("policy-schema.mjs", new JsonObject
        {
            ["schema"] = PolicySchema.Json,
            ["documents"] = new JsonArray(SchemaCases.Select(c => (JsonNode?)c.Document).ToArray()),
        });
        for (int i = 0; i < SchemaCases.Length; i++)
        {
            PolicyValidation ours = PolicyDocumentValidator.Validate(Encoding.UTF8.GetBytes(SchemaCases[i].Document));
            Assert.True(ours.IsValid == result["valid"]![i]!.GetValue<bool>(), $"{SchemaCases[i].Document}: ours {ours.Error?.Path} ajv {result["errors"]![i]}");
            Assert.Equal(SchemaCases[i].Path, ours.Error?.Path);
        }
        foreach ((string document, string path) in CrossFieldCases)
            Assert.Equal(path, PolicyDocumentValidator.Validate(Encoding.UTF8.GetBytes(document)).Error?.Path);
    }

    private static AgentPolicy Agent(string document) => PolicyDocumentValidator.ValidateAgent(Encoding.UTF8.GetBytes(document)).Agent!;

    private static SignIntent EthTransfer(BigInteger wei, string to) => new()
    {
        Chain = PolicyChain.Ethereum,
        Operation = PolicyOperation.Transaction,
        Transfers = [new AssetTransfer("eth:1", PolicyAddress.Normalize(to), wei, TransferKind.Native)],
    };

    [Fact]
    public void The_evaluator_asks_for_approvals_above_the_threshold_or_for_an_unlisted_destination_and_is_satisfied_by_enough_named_approvers()
    {
        const string listed = "0x742d35Cc6634C0532925a3b844Bc454e4438f44e", other = "0x1111111111111111111111111111111111111111";
        AgentPolicy policy = Agent(Rule("""{"required":2,"approvers":["bob.near","carol.near","dave.near"],"above":{"eth:1":"100"},"destinationsNotAllowed":true}""",
            $",\"destinations\":{{\"allow\":[\"{listed}\"]}}"));
        DateTimeOffset now = DateTimeOffset.UtcNow;

        Assert.True(PolicyEvaluator.Evaluate(null, "agent", policy, EthTransfer(100, listed), now).Allowed);
        PolicyDecision above = PolicyEvaluator.Evaluate(null, "agent", policy, EthTransfer(101, listed), now);
        Assert.False(above.Allowed);
        Assert.Equal(PolicyRuleIds.ApprovalRequired, above.RuleId);
        Assert.Equal("pay", above.MatchedRule);
        Assert.Equal(2, above.Approval!.Required);
        PolicyDecision unlisted = PolicyEvaluator.Evaluate(null, "agent", policy, EthTransfer(1, other), now);
        Assert.Equal(PolicyRuleIds.ApprovalRequired, unlisted.RuleId);

        Assert.Equal(PolicyRuleIds.ApprovalRequired, PolicyEvaluator.Evaluate(null, "agent", policy, EthTransfer(101, listed), now, new HashSet<string> { "bob.near", "erin.near" }).RuleId);
        Assert.True(PolicyEvaluator.Evaluate(null, "agent", policy, EthTransfer(101, other), now, new HashSet<string> { "bob.near", "dave.near" }).Allowed);
    }

    [Fact]
    public void A_later_rule_that_allows_outright_wins_over_one_that_asks_for_approvals()
    {
        AgentPolicy policy = Agent("""
            {"kind":"agent","version":1,"rules":[
              {"id":"guarded","chains":["ethereum"],"operations":["transaction"],"limits":{"eth:1":{}},"approvals":{"required":1,"approvers":["bob.near"]}},
              {"id":"small","chains":["ethereum"],"operations":["transaction"],"limits":{"eth:1":{"perTransaction":"10"}}}]}
            """);
        PolicyDecision small = PolicyEvaluator.Evaluate(null, "agent", policy, EthTransfer(10, "0x742d35Cc6634C0532925a3b844Bc454e4438f44e"), DateTimeOffset.UtcNow);
        Assert.True(small.Allowed);
        Assert.Equal("small", small.MatchedRule);
        PolicyDecision big = PolicyEvaluator.Evaluate(null, "agent", policy, EthTransfer(11, "0x742d35Cc6634C0532925a3b844Bc454e4438f44e"), DateTimeOffset.UtcNow);
        Assert.Equal(PolicyRuleIds.ApprovalRequired, big.RuleId);
        Assert.Equal("guarded", big.MatchedRule);
    }
}
