using System.Numerics;
using System.Text;
using Keystore.Policies.Decoding;
using Keystore.Policies.Documents;
using Keystore.Policies.Evaluation;
using Keystore.Policies.Schema;

namespace Keystore.Tests.Policies;

/// <summary>
/// The policy matrix: every check on every chain, allowed, denied and at the boundary (the limit exactly), on
/// requests built by ethers, @solana/web3.js + @solana/spl-token and @scure/btc-signer.
/// </summary>
public class PolicyEvaluatorTests
{
    private const string Recipient = "0xabababababababababababababababababababab";
    private const string Token = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
    private const string Router = "0x7a250d5630b4cf539739df2c5dacb4c659f2488d";
    /// <summary>The wallet-built ether transfer's spend: 0.5 ETH and its fee, 100,000 gas × 30 gwei = 0.003 ETH.</summary>
    private const string EtherTransferSpend = "503000000000000000";
    /// <summary>Ether with no cap, for rules about something else: every transaction pays its fee in it.</summary>
    private const string AnyEther = """{"eth:1": {}}""";
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static AgentPolicy Agent(params string[] rules)
    {
        PolicyValidation result = PolicyDocumentValidator.ValidateAgent(Encoding.UTF8.GetBytes($$"""{"kind": "agent", "version": 1, "rules": [{{string.Join(",", rules)}}]}"""));
        Assert.True(result.IsValid, result.Error?.ToString());
        return result.Agent!;
    }

    private static AccountPolicy Account(string members)
    {
        PolicyValidation result = PolicyDocumentValidator.ValidateAccount(Encoding.UTF8.GetBytes($$"""{"kind": "account", "version": 1, {{members}} }"""));
        Assert.True(result.IsValid, result.Error?.ToString());
        return result.Account!;
    }

    private static SignIntent Request(string chain, string name) => WalletBuiltRequests.Decode(chain, WalletBuiltRequests.Named(chain, name));

    private static PolicyDecision Decide(string rule, string chain, string name, DateTimeOffset? now = null, AccountPolicy? account = null) =>
        PolicyEvaluator.Evaluate(account, "agent-1", Agent(rule), Request(chain, name), now ?? Noon);

    private static void Allowed(PolicyDecision decision)
    {
        Assert.True(decision.Allowed, $"{decision.RuleId}: {decision.Message}");
        Assert.Equal(PolicyRuleIds.Allowed, decision.RuleId);
    }

    private static void Denied(string ruleId, PolicyDecision decision)
    {
        Assert.False(decision.Allowed);
        Assert.True(ruleId == decision.RuleId, $"expected {ruleId}, got {decision.RuleId}: {decision.Message}");
        Assert.Empty(decision.Charges);
    }

    private static string EthRule(string limits = $$"""{"eth:1": {"perTransaction": "{{EtherTransferSpend}}", "daily": "{{EtherTransferSpend}}"} }""", string extra = "") =>
        $$"""{"id": "eth", "chains": ["ethereum"], "operations": ["transaction", "typed-data"], "limits": {{limits}}{{extra}} }""";

    [Fact]
    public void Ether_and_its_fee_at_the_per_transaction_and_daily_limit_exactly_is_allowed_with_the_window_to_reserve_and_one_wei_less_is_denied()
    {
        PolicyDecision allowed = Decide(EthRule(), "ethereum", "ether transfer");
        Allowed(allowed);
        Assert.Equal("eth", allowed.MatchedRule);
        PolicyCharge charge = Assert.Single(allowed.Charges);
        Assert.Equal(new PolicyCharge("agent:agent-1:eth:1:daily", TimeSpan.FromDays(1), BigInteger.Parse(EtherTransferSpend), BigInteger.Parse(EtherTransferSpend), "window:eth:1:daily"), charge);

        Denied("per-transaction", Decide(EthRule("""{"eth:1": {"perTransaction": "502999999999999999"}}"""), "ethereum", "ether transfer"));
        Denied("window:eth:1:daily", Decide(EthRule("""{"eth:1": {"daily": "502999999999999999"}}"""), "ethereum", "ether transfer"));
        Allowed(Decide(EthRule("""{"eth:1": {"hourly": "503000000000000000", "weekly": "1000000000000000000", "monthly": "2000000000000000000"}}"""), "ethereum", "ether transfer"));
        Assert.Equal(["hourly", "weekly", "monthly"], Decide(EthRule("""{"eth:1": {"hourly": "503000000000000000", "weekly": "1000000000000000000", "monthly": "2000000000000000000"}}"""), "ethereum", "ether transfer")
            .Charges.Select(c => c.Key.Split(':')[^1]));
        Denied("assets", Decide(EthRule("""{"eth:8453": {}}"""), "ethereum", "ether transfer"));
        // 1 wei and the 0.003 ETH fee, both in Base's ether.
        Allowed(Decide(EthRule("""{"eth:8453": {"perTransaction": "3000000000000001"}}"""), "ethereum", "ether transfer on another chain"));
        Denied("per-transaction", Decide(EthRule("""{"eth:8453": {"perTransaction": "3000000000000000"}}"""), "ethereum", "ether transfer on another chain"));
    }

    [Fact]
    public void Chains_and_operations_a_rule_does_not_name_are_denied()
    {
        Denied("chains", Decide("""{"chains": ["solana"], "operations": ["transaction"], "limits": {"eth:1": {}}}""", "ethereum", "ether transfer"));
        Denied("operations", Decide("""{"chains": ["ethereum"], "operations": ["personal-message"], "limits": {"eth:1": {}}}""", "ethereum", "ether transfer"));
        Allowed(Decide("""{"chains": ["ethereum"], "operations": ["personal-message"]}""", "ethereum", "personal message"));
        Denied("operations", Decide("""{"chains": ["ethereum"], "operations": ["transaction"]}""", "ethereum", "personal message"));
        Denied("chains", Decide("""{"chains": ["ethereum"], "operations": ["psbt"], "limits": {"btc": {}}}""", "bitcoin", "one payment on Mainnet"));
    }

    [Fact]
    public void Destination_deny_and_allow_lists_apply_to_ether_recipients_and_to_ERC20_recipients_decoded_from_calldata()
    {
        string token = $$"""{"eth:1:erc20:{{Token}}": {"perTransaction": "250000000"}, "eth:1": {} }""";
        Denied("destinations.deny", Decide(EthRule(extra: $$""", "destinations": {"deny": ["{{Recipient.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)}}"]}"""), "ethereum", "ether transfer"));
        Denied("destinations.allow", Decide(EthRule(extra: """, "destinations": {"allow": ["0x000000000000000000000000000000000000dEaD"]}"""), "ethereum", "ether transfer"));
        Allowed(Decide(EthRule(extra: $$""", "destinations": {"allow": ["{{Recipient}}"]}"""), "ethereum", "ether transfer"));

        Allowed(Decide(EthRule(token, $$""", "destinations": {"allow": ["{{Recipient}}"]}"""), "ethereum", "ERC-20 transfer"));
        Allowed(Decide(EthRule(token), "ethereum", "ERC-20 transferFrom"));
        Denied("destinations.deny", Decide(EthRule(token, $$""", "destinations": {"deny": ["{{Recipient}}"]}"""), "ethereum", "ERC-20 transfer"));
        // The token contract is not the recipient: an allow list naming only the contract does not let the transfer through.
        Denied("destinations.allow", Decide(EthRule(token, $$""", "destinations": {"allow": ["{{Token}}"]}"""), "ethereum", "ERC-20 transfer"));
        Denied("per-transaction", Decide(EthRule($$"""{"eth:1:erc20:{{Token}}": {"perTransaction": "249999999"}, "eth:1": {} }"""), "ethereum", "ERC-20 transfer"));
        Denied("assets", Decide(EthRule(), "ethereum", "ERC-20 transfer"));
    }

    [Fact]
    public void Approvals_count_as_spend_and_unlimited_approvals_and_permits_are_denied_unless_allowed()
    {
        string token = $$"""{"eth:1:erc20:{{Token}}": {"daily": "1000"}, "eth:1": {} }""";
        PolicyDecision approve = Decide(EthRule(token), "ethereum", "ERC-20 approve");
        Allowed(approve);
        Assert.Equal(1000, Assert.Single(approve.Charges).Amount);
        Denied($"window:eth:1:erc20:{Token}:daily", Decide(EthRule($$"""{"eth:1:erc20:{{Token}}": {"daily": "999"}, "eth:1": {} }"""), "ethereum", "ERC-20 approve"));

        string unlimited = $$"""{"eth:1:erc20:{{Token}}": {}, "eth:1": {} }""";
        Denied("approvals.unlimited", Decide(EthRule(unlimited), "ethereum", "ERC-20 unlimited approve"));
        Allowed(Decide(EthRule(unlimited, """, "allowUnlimitedApprovals": true"""), "ethereum", "ERC-20 unlimited approve"));
        Denied("approvals.unlimited", Decide(EthRule(unlimited), "ethereum", "EIP-2612 unlimited permit"));
        Allowed(Decide(EthRule($$"""{"eth:1:erc20:{{Token}}": {"perTransaction": "5000"} }"""), "ethereum", "EIP-2612 permit"));
        Denied("per-transaction", Decide(EthRule($$"""{"eth:1:erc20:{{Token}}": {"perTransaction": "4999"} }"""), "ethereum", "EIP-2612 permit"));
        Denied("approvals.unlimited", Decide($$"""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol:spl:{{SplMint()}}": {}, "sol": {} } }""", "solana", "SPL Token unlimited approveChecked"));
        Allowed(Decide($$"""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol:spl:{{SplMint()}}": {}, "sol": {} }, "allowUnlimitedApprovals": true}""", "solana", "Token-2022 unlimited approveChecked"));
    }

    private static string SplMint() => Request("solana", "SPL Token transferChecked").Transfers[0].Asset["sol:spl:".Length..];

    [Fact]
    public void Calls_outside_the_contract_and_selector_allow_list_are_denied_unless_opaque_payloads_are_allowed()
    {
        var swap = Request("ethereum", "unknown contract call");
        string selector = swap.Calls[0].Selector!;
        Denied("contracts", Decide(EthRule(AnyEther), "ethereum", "unknown contract call"));
        Allowed(Decide(EthRule(AnyEther, $$""", "contracts": [{"address": "{{Router}}", "selectors": ["{{selector}}"]}]"""), "ethereum", "unknown contract call"));
        Allowed(Decide(EthRule(AnyEther, $$""", "contracts": [{"address": "{{Router}}"}]"""), "ethereum", "unknown contract call"));
        Denied("contracts", Decide(EthRule(AnyEther, $$""", "contracts": [{"address": "{{Router}}", "selectors": ["0xa9059cbb"]}]"""), "ethereum", "unknown contract call"));
        Denied("contracts", Decide(EthRule(AnyEther, $$""", "contracts": [{"address": "{{Token}}", "selectors": ["{{selector}}"]}]"""), "ethereum", "unknown contract call"));
        Allowed(Decide(EthRule(AnyEther, """, "allowOpaque": true"""), "ethereum", "unknown contract call"));
        Denied("destinations.deny", Decide(EthRule(AnyEther, $$""", "allowOpaque": true, "destinations": {"deny": ["{{Router}}"]}"""), "ethereum", "unknown contract call"));
        Denied("opaque", Decide(EthRule(AnyEther), "ethereum", "contract creation"));
        Allowed(Decide(EthRule(AnyEther, """, "allowOpaque": true"""), "ethereum", "contract creation"));
    }

    [Fact]
    public void Typed_data_is_allowed_only_for_listed_EIP712_domains_unless_it_is_a_decoded_permit_or_opaque_payloads_are_allowed()
    {
        Allowed(Decide(EthRule("{}", """, "eip712Domains": [{"name": "Ether Mail", "chainId": 1}]"""), "ethereum", "typed data mail"));
        Allowed(Decide(EthRule("{}", """, "eip712Domains": [{"verifyingContract": "0xcccccccccccccccccccccccccccccccccccccccc"}]"""), "ethereum", "typed data mail"));
        Denied("eip712-domains", Decide(EthRule("{}", """, "eip712Domains": [{"name": "Ether Mail", "chainId": 5}]"""), "ethereum", "typed data mail"));
        Denied("eip712-domains", Decide(EthRule("{}", """, "eip712Domains": [{"name": "USD Coin"}]"""), "ethereum", "typed data mail"));
        // Without a list, only typed data whose effect is decoded (a permit, limited as an approval) passes, or any with allowOpaque.
        Denied("eip712-domains", Decide(EthRule("{}"), "ethereum", "typed data mail"));
        Allowed(Decide(EthRule("{}", """, "allowOpaque": true"""), "ethereum", "typed data mail"));
        Allowed(Decide(EthRule($$"""{"eth:1:erc20:{{Token}}": {} }"""), "ethereum", "EIP-2612 permit"));
    }

    [Fact]
    public void SOL_transfers_in_legacy_v0_and_wire_form_are_held_to_the_limit_exactly()
    {
        foreach (string name in new[] { "SOL transfer, legacy message", "SOL transfer, v0 message", "SOL transfer, wire transaction" })
        {
            // 1.5 SOL and the fee: 5,000 lamports for the one signature + 1,000 µlamports × 200,000 units (the default for one instruction) = 200.
            PolicyDecision decision = Decide("""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {"perTransaction": "1500005200", "monthly": "1500005200"}}}""", "solana", name);
            Allowed(decision);
            Assert.Equal(new PolicyCharge("agent:agent-1:sol:monthly", TimeSpan.FromDays(30), 1_500_005_200, 1_500_005_200, "window:sol:monthly"), Assert.Single(decision.Charges));
            Denied("per-transaction", Decide("""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {"perTransaction": "1500005199"}}}""", "solana", name));
            Denied("window:sol:monthly", Decide("""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {"monthly": "1500005199"}}}""", "solana", name));
            Denied("operations", Decide("""{"chains": ["solana"], "operations": ["offchain-message"], "limits": {"sol": {}}}""", "solana", name));
        }
        string destination = Request("solana", "SOL transfer, v0 message").Transfers[0].Destination!;
        Denied("destinations.deny", Decide($$"""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {} }, "destinations": {"deny": ["{{destination}}"]} }""", "solana", "SOL transfer, v0 message"));
        Denied("destinations.allow", Decide($$"""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {} }, "destinations": {"allow": ["{{destination.ToLowerInvariant()}}"]} }""", "solana", "SOL transfer, v0 message"));
        Denied("opaque", Decide("""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {}}}""", "solana", "SOL transfer to a lookup-table address"));
    }

    [Fact]
    public void SPL_and_Token2022_transferChecked_are_limited_per_mint_and_a_transfer_without_its_mint_is_opaque()
    {
        string mint = SplMint();
        foreach (string program in new[] { "SPL Token", "Token-2022" })
        {
            SignIntent intent = Request("solana", $"{program} transferChecked");
            string target = intent.Transfers[0].Destination!;
            string rule = $$"""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol:spl:{{mint}}": {"daily": "2000000"}, "sol": {} }, "destinations": {"allow": ["{{target}}"]} }""";
            Allowed(Decide(rule, "solana", $"{program} transferChecked"));
            Denied($"window:sol:spl:{mint}:daily", Decide(rule.Replace("2000000", "1999999", StringComparison.Ordinal), "solana", $"{program} transferChecked"));
            Denied("destinations.allow", Decide(rule.Replace(target, mint, StringComparison.Ordinal), "solana", $"{program} transferChecked"));
            Denied("assets", Decide("""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {}}}""", "solana", $"{program} transferChecked"));
            Denied("opaque", Decide("""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {}}}""", "solana", $"{program} plain transfer"));
            Allowed(Decide("""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {}}, "allowOpaque": true}""", "solana", $"{program} plain transfer"));
        }
    }

    [Fact]
    public void Unknown_Solana_programs_need_the_programs_list_or_opaque_payloads()
    {
        string program = Request("solana", "unknown program").Calls[0].Address;
        Denied("contracts", Decide("""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {}}}""", "solana", "unknown program"));
        Allowed(Decide($$"""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {} }, "programs": ["{{program}}"]}""", "solana", "unknown program"));
        Allowed(Decide("""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {}}, "allowOpaque": true}""", "solana", "unknown program"));
        Denied("destinations.deny", Decide($$"""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {} }, "programs": ["{{program}}"], "destinations": {"deny": ["{{program}}"]} }""", "solana", "unknown program"));
    }

    [Fact]
    public void Off_chain_messages_and_Solana_transactions_are_separate_operations()
    {
        AgentPolicy messagesOnly = Agent("""{"chains": ["solana"], "operations": ["offchain-message"]}""");
        Allowed(PolicyEvaluator.Evaluate(null, "agent-1", messagesOnly, SolanaIntentDecoder.OffchainMessage(), Noon));
        Denied("operations", PolicyEvaluator.Evaluate(null, "agent-1", messagesOnly, Request("solana", "SOL transfer, legacy message"), Noon));
        AgentPolicy transactionsOnly = Agent("""{"chains": ["solana"], "operations": ["transaction"], "limits": {"sol": {}}}""");
        Denied("operations", PolicyEvaluator.Evaluate(null, "agent-1", transactionsOnly, SolanaIntentDecoder.OffchainMessage(), Noon));
    }

    [Fact]
    public void Bitcoin_spend_is_the_outputs_to_others_plus_the_fee_held_to_the_limit_exactly()
    {
        // 99,000 to another address + 1,000 fee.
        Allowed(Decide("""{"chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {"perTransaction": "100000", "daily": "100000"}}}""", "bitcoin", "one payment on Mainnet"));
        Denied("per-transaction", Decide("""{"chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {"perTransaction": "99999"}}}""", "bitcoin", "one payment on Mainnet"));
        Denied("window:btc:daily", Decide("""{"chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {"daily": "99999"}}}""", "bitcoin", "one payment on Regtest"));
        // 150,000 to five others + 5,000 fee; the 95,000 change to the account's own address is not spend.
        Allowed(Decide("""{"chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {"perTransaction": "155000"}}}""", "bitcoin", "PSBT on Testnet"));
        Denied("per-transaction", Decide("""{"chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {"perTransaction": "154999"}}}""", "bitcoin", "PSBT on Testnet"));

        var @case = WalletBuiltRequests.Named("bitcoin", "one payment on Mainnet");
        string payee = Request("bitcoin", "one payment on Mainnet").Transfers[0].Destination!;
        Allowed(Decide($$"""{"chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {} }, "destinations": {"allow": ["{{payee.ToUpperInvariant()}}"]} }""", "bitcoin", "one payment on Mainnet"));
        Denied("destinations.allow", Decide($$"""{"chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {} }, "destinations": {"allow": ["{{(string)@case["own"]![0]!}}"]} }""", "bitcoin", "one payment on Mainnet"));
        Denied("destinations.deny", Decide($$"""{"chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {} }, "destinations": {"deny": ["{{payee}}"]} }""", "bitcoin", "one payment on Mainnet"));
        Denied("opaque", Decide("""{"chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {}}}""", "bitcoin", "PSBT without input amounts"));
    }

    [Fact]
    public void Time_of_day_windows_are_UTC_with_the_end_excluded_and_may_run_past_midnight()
    {
        string rule = EthRule(extra: """, "timeOfDay": [{"from": "09:00", "to": "17:00"}, {"from": "22:00", "to": "02:00"}]""");
        DateTimeOffset At(int hour, int minute) => new(2026, 12, 2, hour, minute, 0, TimeSpan.Zero);
        Allowed(Decide(rule, "ethereum", "ether transfer", At(9, 0)));
        Allowed(Decide(rule, "ethereum", "ether transfer", At(16, 59)));
        Denied("time-of-day", Decide(rule, "ethereum", "ether transfer", At(17, 0)));
        Denied("time-of-day", Decide(rule, "ethereum", "ether transfer", At(8, 59)));
        Allowed(Decide(rule, "ethereum", "ether transfer", At(23, 30)));
        Allowed(Decide(rule, "ethereum", "ether transfer", At(1, 59)));
        Denied("time-of-day", Decide(rule, "ethereum", "ether transfer", At(2, 0)));
        // A clock in another zone is judged in UTC: 18:30+02:00 is 16:30 UTC.
        Allowed(Decide(rule, "ethereum", "ether transfer", new DateTimeOffset(2026, 12, 2, 18, 30, 0, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void A_rate_limit_is_a_one_minute_window_charge_of_one_request()
    {
        PolicyDecision decision = Decide(EthRule(extra: """, "requestsPerMinute": 3"""), "ethereum", "ether transfer");
        Allowed(decision);
        Assert.Contains(new PolicyCharge("agent:agent-1:requests:minute", TimeSpan.FromMinutes(1), 3, 1, "rate"), decision.Charges);
    }

    [Fact]
    public void The_account_freeze_stops_agents_and_owners_and_account_caps_apply_to_every_agent()
    {
        Denied("freeze", Decide(EthRule(), "ethereum", "ether transfer", account: Account("\"frozen\": true")));
        Denied("freeze", PolicyEvaluator.EvaluateOwner(Account("\"frozen\": true")));
        Allowed(PolicyEvaluator.EvaluateOwner(Account("\"frozen\": false")));
        Allowed(PolicyEvaluator.EvaluateOwner(null));

        PolicyDecision shared = Decide(EthRule(), "ethereum", "ether transfer", account: Account($$"""
            "limits": {"eth:1": {"daily": "{{EtherTransferSpend}}"}, "btc": {"daily": "1"} }, "requestsPerMinute": 100
            """));
        Allowed(shared);
        Assert.Equal(["agent:agent-1:eth:1:daily", "account:eth:1:daily", "account:requests:minute"], shared.Charges.Select(c => c.Key));
        Assert.Equal("account:window:eth:1:daily", shared.Charges[1].RuleId);
        Denied("account:per-transaction", Decide(EthRule(), "ethereum", "ether transfer", account: Account("""
            "limits": {"eth:1": {"perTransaction": "1"}}
            """)));
        Denied("account:window:eth:1:daily", Decide(EthRule(), "ethereum", "ether transfer", account: Account("""
            "limits": {"eth:1": {"daily": "502999999999999999"}}
            """)));
    }

    [Fact]
    public void With_no_rule_everything_is_denied_and_with_several_the_first_that_allows_wins_or_the_closest_explains()
    {
        Denied("default-deny", PolicyEvaluator.Evaluate(null, "agent-1", Agent(), Request("ethereum", "ether transfer"), Noon));
        Denied("default-deny", PolicyEvaluator.Evaluate(null, "agent-1", Agent(), SolanaIntentDecoder.OffchainMessage(), Noon));

        string bitcoin = """{"id": "btc", "chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {}}}""";
        string small = """{"id": "small", "chains": ["ethereum"], "operations": ["transaction"], "limits": {"eth:1": {"perTransaction": "1"}}}""";
        PolicyDecision allowed = PolicyEvaluator.Evaluate(null, "agent-1", Agent(bitcoin, small, EthRule()), Request("ethereum", "ether transfer"), Noon);
        Allowed(allowed);
        Assert.Equal("eth", allowed.MatchedRule);

        PolicyDecision denied = PolicyEvaluator.Evaluate(null, "agent-1", Agent(bitcoin, small), Request("ethereum", "ether transfer"), Noon);
        Denied("per-transaction", denied);
        Assert.Equal("small", denied.MatchedRule);
        Assert.Contains("small", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Window_charges_of_an_agent_are_keyed_by_asset_so_every_rule_limiting_it_counts_the_same_spend()
    {
        string first = """{"id": "a", "chains": ["ethereum"], "operations": ["transaction"], "limits": {"eth:1": {"daily": "600000000000000000"}}, "destinations": {"allow": ["0xabababababababababababababababababababab"]}}""";
        string second = """{"id": "b", "chains": ["ethereum"], "operations": ["transaction"], "limits": {"eth:1": {"daily": "900000000000000000"}}}""";
        PolicyDecision viaFirst = PolicyEvaluator.Evaluate(null, "agent-7", Agent(first, second), Request("ethereum", "ether transfer"), Noon);
        PolicyDecision viaSecond = PolicyEvaluator.Evaluate(null, "agent-7", Agent(second, first), Request("ethereum", "ether transfer"), Noon);
        Assert.Equal(viaFirst.Charges.Single().Key, viaSecond.Charges.Single().Key);
        Assert.Equal("agent:agent-7:eth:1:daily", viaFirst.Charges.Single().Key);
    }
}
