using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Keystore.Policies.Decoding;
using Keystore.Policies.Documents;
using Keystore.Policies.Evaluation;
using Keystore.Policies.Schema;

namespace Keystore.Benchmarks;

/// <summary>
/// What a policy adds to a sign request before the store's reservation: parse the body, decode it into an intent
/// and evaluate the agent's policy (already validated and cached) against it. The bodies were built by
/// tests/oracles/policy-intents.mjs (ethers, @solana/spl-token, @scure/btc-signer). Also: validating a policy
/// document, which happens when an owner sets one, not per request.
/// </summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private static readonly byte[] EthereumBody = Encoding.UTF8.GetBytes("""
        {"transaction": {"type": 2, "chainId": "1", "nonce": "0x7", "to": "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", "value": "0x0", "data": "0xa9059cbb000000000000000000000000abababababababababababababababababababab000000000000000000000000000000000000000000000000000000000ee6b280", "gas": "0x186a0", "maxFeePerGas": "0x6fc23ac00", "maxPriorityFeePerGas": "0x3b9aca00"}}
        """);

    private static readonly byte[] SolanaBody = Encoding.UTF8.GetBytes("""
        {"message": "gAEABQjkAwmYz9WtFyPBaflWqgueuGGbWZK9YSwq9Cjrx5+N8CNZpPdzqO75mAAkfgkLXdZQ4BJT3TmIdpv5b/wIPgncdBXPs5HQFfB11gwTaFuUW6whFhMf1QZK7J5SRpuhUnWMlyWPTiSJ8bs9ECkUjg2DC1oTmdr/EIQEjnvY2+n4We1jEw/uqEdB+ohRuT6t/5XrbNEduBn4ZQwSWbQRijD0dVxMuSVsp83ErP3Gz+7ahJAX5bn5UU6ZGRvWfgsNQnYAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbd9uHXZaGT2cvhRs7reawctIXtX1s3kTqM9YV+/wCp/BoaWiGjTFi0RttfapDqSNXYzcwlBgEvSlE6bGf/XY8CAwYAAQQFBgcBAQcEAgUBAAoMgIQeAAAAAAAGAA=="}
        """);

    private static readonly byte[] BitcoinBody = Encoding.UTF8.GetBytes("""
        {"psbt": "cHNidP8BAP1MAQIAAAACHx4dHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQAAAAAAAP/////g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/wMAAAAA/////wcQJwAAAAAAABYAFJou0OeBGdwiQPpzRQoPDSR8VoQcIE4AAAAAAAAiUSCbDyOzXB4P88M0qLzJZwLglF8widAytez2JV80dGlDNzB1AAAAAAAAGXapFJou0OeBGdwiQPpzRQoPDSR8VoQciKxAnAAAAAAAABepFNVEQYOfZqMNSd0UOXSS0SNdz/Y5h1DDAAAAAAAAIgAgeku+AlxiNOkA8O8C8j5E3ynF56/aV2fV/LqJWHa3wJAYcwEAAAAAACJRIEqVdw7/ySPb6BJelRqOD3pmeuFRLqxKkz2L6W+9WREnAAAAAAAAAAAFagMBAgMAAAAAAAEBK0ANAwAAAAAAIlEgSpV3Dv/JI9voEl6VGo4PemZ64VEurEqTPYvpb71ZEScBFyCEv3ViJiu9aUAIV0jzvmr6Uq4xcVUYHs4xtmNRzP+ksAABAStQwwAAAAAAACJRIHtX82LpKUYUX7muwPoHPG89I71fajiazuYcA+xmBlBRAAAAAAAAAAA="}
        """);

    private static readonly HashSet<string> OwnAddresses = ["bc1pf22hwrhley3ah6qjt6234rs00fn84c2396ky4yea305kl02ezyns3k932r", "bc1p0dtlxchf99rpghae4mq05peudu7j802ldguf4nhxrsp7cesx2pgsjt8zjp"];

    private static readonly byte[] PolicyDocument = Encoding.UTF8.GetBytes("""
        {"kind": "agent", "version": 1, "rules": [
          {"id": "bitcoin", "chains": ["bitcoin"], "operations": ["psbt"], "limits": {"btc": {"perTransaction": "1000000", "daily": "5000000"}}},
          {"id": "solana", "chains": ["solana"], "operations": ["transaction", "offchain-message"],
           "limits": {"sol": {"daily": "10000000000"}, "sol:spl:8u8LCMQvMKrFxHbn326Ltcqv72HDPEC5FPMgPC3mXvxV": {"perTransaction": "5000000", "daily": "50000000"}}, "requestsPerMinute": 60},
          {"id": "usdc", "chains": ["ethereum"], "operations": ["transaction", "typed-data"],
           "destinations": {"allow": ["0xabababababababababababababababababababab"], "deny": ["0x000000000000000000000000000000000000dEaD"]},
           "limits": {"eth:1": {"perTransaction": "100000000000000000", "daily": "500000000000000000"},
                      "eth:1:erc20:0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48": {"perTransaction": "1000000000", "hourly": "2000000000", "daily": "5000000000", "monthly": "50000000000"}},
           "requestsPerMinute": 60, "timeOfDay": [{"from": "00:00", "to": "23:59"}]}
        ]}
        """);

    private static readonly AccountPolicy Account = PolicyDocumentValidator.ValidateAccount(Encoding.UTF8.GetBytes("""
        {"kind": "account", "version": 1, "limits": {"eth:1": {"daily": "1000000000000000000"}}, "requestsPerMinute": 600}
        """)).Account!;

    private readonly AgentPolicy _agent = PolicyDocumentValidator.ValidateAgent(PolicyDocument).Agent!;
    private readonly DateTimeOffset _now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Benchmark]
    public bool Ethereum_erc20_transfer()
    {
        using var body = JsonDocument.Parse(EthereumBody);
        return Decide(EthereumIntentDecoder.Decode(body.RootElement));
    }

    [Benchmark]
    public bool Solana_spl_transfer_checked()
    {
        using var body = JsonDocument.Parse(SolanaBody);
        return Decide(SolanaIntentDecoder.Decode(body.RootElement));
    }

    [Benchmark]
    public bool Bitcoin_psbt()
    {
        using var body = JsonDocument.Parse(BitcoinBody);
        return Decide(BitcoinIntentDecoder.Decode(body.RootElement, BitcoinAddressNetwork.Mainnet, OwnAddresses.Contains));
    }

    [Benchmark]
    public bool Validate_policy_document() => PolicyDocumentValidator.ValidateAgent(PolicyDocument).IsValid;

    /// <summary>
    /// CPU time per operation (<c>policy [iterations]</c>): the process's processor time over many warm iterations on
    /// one thread, a figure a machine shared with other work does not inflate the way it inflates wall-clock time.
    /// </summary>
    public static int MeasureCpuTime(int iterations)
    {
        var benchmarks = new PolicyBenchmarks();
        foreach (var (name, run) in new (string, Func<bool>)[]
        {
            ("ethereum erc20 transfer", benchmarks.Ethereum_erc20_transfer),
            ("solana spl transferChecked", benchmarks.Solana_spl_transfer_checked),
            ("bitcoin psbt", benchmarks.Bitcoin_psbt),
            ("validate policy document", benchmarks.Validate_policy_document),
        })
        {
            for (int i = 0; i < 2000; i++) run();
            var samples = new List<double>();
            for (int round = 0; round < 5; round++)
            {
                TimeSpan before = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                for (int i = 0; i < iterations; i++) run();
                samples.Add((System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / iterations);
            }
            samples.Sort();
            Console.WriteLine($"{name}: {samples[2]:F2} µs CPU per operation (median of 5 rounds of {iterations})");
        }
        return 0;
    }

    private bool Decide(SignIntent intent)
    {
        PolicyDecision decision = PolicyEvaluator.Evaluate(Account, "agent-1", _agent, intent, _now);
        return decision.Allowed ? true : throw new InvalidOperationException(decision.Message);
    }
}
