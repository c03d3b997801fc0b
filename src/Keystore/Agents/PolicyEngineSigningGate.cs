using System.Text.Json;
using Keystore.Api;
using Keystore.Api.ChainRequests;
using Keystore.Boot;
using Keystore.Chains;
using Keystore.Configuration;
using Keystore.Derivation;
using Keystore.MasterSecrets;
using Keystore.Policies.Decoding;
using Keystore.Policies.Documents;
using Keystore.Policies.Evaluation;
using Keystore.Policies.Schema;
using Keystore.State;
using Microsoft.Extensions.Options;

namespace Keystore.Agents;

/// <summary>
/// The signing gate of agent keys: the body is decoded into what it would do (never trusting the caller's summary),
/// the agent's policy and the account's caps judge it, and an allowed request hands back the window charges the
/// guard reserves atomically before signing. Default deny holds at every step: a policy that no longer validates, a
/// chain no rule names, a body that cannot be decoded are all refusals.
/// </summary>
/// <remarks>
/// What a warm request would redo is kept: validated policy documents by their text (<see cref="ValidatedPolicyCache"/>)
/// and, per account, its own Taproot addresses (bounded, dropped when the master secret changes).
/// </remarks>
public sealed class PolicyEngineSigningGate(KeystoreState state, ChainSignerRegistry chains, DerivedKeyCache keys, IOptions<KeystoreOptions> options) : IAgentSigningGate
{
    /// <summary>How many of the account's first Taproot addresses count as its own (change) when a PSBT is judged.</summary>
    public const int OwnBitcoinAddresses = 20;

    private readonly ValidatedPolicyCache _policies = new();
    private readonly OwnAddressCache _ownAddresses = new();

    public Task<AgentGateDecision> EvaluateAsync(AgentSigningRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        PolicyValidation agentPolicy = _policies.Agent(request.Agent.Policy);
        if (agentPolicy.Agent is not { } agent)
            return Task.FromResult(AgentGateDecision.Deny(PolicyRuleIds.DefaultDeny, "The agent's stored policy is not valid under this keystore's policy schema; the owner must replace it."));
        Policies.Documents.AccountPolicy? account = null;
        if (request.AccountPolicy.Rules is { } accountRules)
        {
            PolicyValidation parsed = _policies.Account(accountRules);
            if (parsed.Account is null)
                return Task.FromResult(AgentGateDecision.Deny(PolicyRuleIds.DefaultDeny, "The account's stored policy is not valid under this keystore's policy schema; the owner must replace it."));
            account = parsed.Account;
        }

        SignIntent intent = Decode(request.Account, request.Chain, request.Body);
        PolicyDecision decision = PolicyEvaluator.Evaluate(account, request.Agent.PublicKey, agent, intent, request.Now, request.ApprovedBy);
        if (decision.Approval is { } approval)
            return Task.FromResult(AgentGateDecision.RequireApproval(decision.MatchedRule!, approval, decision.Message,
                decision.Charges.Select(c => new WindowCharge(c.Key, c.Window, c.Limit, c.Amount, c.RuleId)).ToArray(), decision.Spend));
        if (!decision.Allowed)
        {
            string message = decision.MatchedRule is { } rule ? $"{decision.Message} (closest rule: {rule})" : decision.Message;
            return Task.FromResult(AgentGateDecision.Deny(decision.RuleId, message));
        }
        return Task.FromResult(AgentGateDecision.Allow(
            decision.Charges.Select(c => new WindowCharge(c.Key, c.Window, c.Limit, c.Amount, c.RuleId)).ToArray(), decision.Spend));
    }

    private SignIntent Decode(string account, string chain, ReadOnlyMemory<byte> body)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        return chain switch
        {
            "ethereum" => EthereumIntentDecoder.Decode(root),
            // An off-chain message moves nothing: its operation is all a policy judges. The message itself is parsed once,
            // by the signing step (SolanaOffchainSigning.Read), which refuses anything but a whole off-chain message naming
            // this key (never a transaction) before a key is touched; a body with this member signs nothing else.
            "solana" when SolanaOffchainSigning.IsRequest(root) => SolanaIntentDecoder.OffchainMessage(),
            "solana" => SolanaIntentDecoder.Decode(root),
            "bitcoin" => BitcoinIntentDecoder.Decode(root, BitcoinNetwork(), OwnBitcoinAddressesOf(account).Contains),
            _ => throw new InvalidOperationException($"No intent decoder for chain '{chain}'."),
        };
    }

    private BitcoinAddressNetwork BitcoinNetwork() => options.Value.Bitcoin.ParsedNetwork switch
    {
        Chains.Bitcoin.BitcoinNetwork.Mainnet => BitcoinAddressNetwork.Mainnet,
        Chains.Bitcoin.BitcoinNetwork.Testnet => BitcoinAddressNetwork.Testnet,
        _ => BitcoinAddressNetwork.Regtest,
    };

    private IReadOnlySet<string> OwnBitcoinAddressesOf(string account)
    {
        MasterSecret master = state.RequireMasterSecret();
        if (_ownAddresses.TryGet(master, account, out IReadOnlySet<string>? known))
            return known;
        IChainSigner bitcoin = chains.Get("bitcoin");
        var own = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (uint index = 0; index < OwnBitcoinAddresses; index++)
        {
            using SigningKey key = keys.Get(master, account, bitcoin, index);
            own.Add(bitcoin.Describe(key.PublicKey).Address);
        }
        _ownAddresses.Add(master, account, own);
        return own;
    }

    /// <summary>
    /// Each account's own addresses (public data, but twenty derivations and encodings per request to rebuild), for the
    /// master secret they were derived under: a new master secret starts the cache over. Bounded: when full, it starts over.
    /// </summary>
    private sealed class OwnAddressCache
    {
        private const int Capacity = 4096;
        private readonly Lock _gate = new();
        private readonly Dictionary<string, IReadOnlySet<string>> _byAccount = new(StringComparer.Ordinal);
        private MasterSecret? _owner;

        public bool TryGet(MasterSecret master, string account, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlySet<string>? addresses)
        {
            lock (_gate)
            {
                addresses = null;
                return ReferenceEquals(_owner, master) && _byAccount.TryGetValue(account, out addresses);
            }
        }

        public void Add(MasterSecret master, string account, IReadOnlySet<string> addresses)
        {
            lock (_gate)
            {
                if (!ReferenceEquals(_owner, master) || _byAccount.Count >= Capacity)
                {
                    _byAccount.Clear();
                    _owner = master;
                }
                _byAccount[account] = addresses;
            }
        }
    }
}
