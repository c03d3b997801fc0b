using Keystore.Policies.Schema;

namespace Keystore.Tests.Policies;

public class ValidatedPolicyCacheTests
{
    private static string AgentPolicy(int n, int padding = 0) =>
        $$"""{"kind": "agent", "version": 1,{{new string(' ', padding)}} "rules": [{"id": "r{{n}}", "chains": ["ethereum"], "operations": ["transaction"]}]}""";

    [Fact]
    public void A_thousand_agents_policies_all_stay_validated_and_a_hit_is_the_same_validation()
    {
        var cache = new ValidatedPolicyCache();
        PolicyValidation[] first = Enumerable.Range(0, 1000).Select(i => cache.Agent(AgentPolicy(i))).ToArray();
        Assert.All(first, v => Assert.True(v.IsValid, v.Error?.ToString()));
        Assert.Equal(1000, cache.Count);
        for (int i = 0; i < 1000; i++)
            Assert.Same(first[i], cache.Agent(AgentPolicy(i)));
        Assert.Equal("r7", first[7].Agent!.Rules[0].Id);
    }

    [Fact]
    public void Documents_past_the_text_budget_start_the_kind_over_and_are_still_validated_each_time()
    {
        var cache = new ValidatedPolicyCache();
        const int padding = 60_000;
        int fit = (int)(ValidatedPolicyCache.BudgetChars / AgentPolicy(0, padding).Length);
        for (int i = 0; i < fit; i++)
            Assert.True(cache.Agent(AgentPolicy(i, padding)).IsValid);
        Assert.Equal(fit, cache.Count);
        Assert.True(cache.Agent(AgentPolicy(fit, padding)).IsValid);
        Assert.Equal(1, cache.Count);
        // The account kind has its own budget; an invalid document is kept as the refusal it is.
        PolicyValidation refused = cache.Account("""{"kind": "account", "version": 0}""");
        Assert.False(refused.IsValid);
        Assert.Same(refused, cache.Account("""{"kind": "account", "version": 0}"""));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task Parallel_callers_past_the_budget_all_get_their_own_validation_and_the_cache_stays_within_it()
    {
        var cache = new ValidatedPolicyCache();
        const int padding = 20_000;
        int fit = (int)(ValidatedPolicyCache.BudgetChars / AgentPolicy(0, padding).Length);
        PolicyValidation[] got = await Task.WhenAll(Enumerable.Range(0, 4 * fit).Select(i => Task.Run(() => cache.Agent(AgentPolicy(i % (2 * fit), padding)))));
        for (int i = 0; i < got.Length; i++)
            Assert.Equal($"r{i % (2 * fit)}", got[i].Agent!.Rules[0].Id);
        Assert.InRange(cache.Count, 1, fit);
    }
}
