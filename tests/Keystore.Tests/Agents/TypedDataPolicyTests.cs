using System.Net;
using System.Text.Json.Nodes;
using Keystore.Tests.Support;
using NSec.Cryptography;

namespace Keystore.Tests.Agents;

/// <summary>
/// What an EIP-712 signature authorizes is what its <c>types</c> make the digest cover, not what other members of the
/// JSON say: the policy must judge the members that are hashed, with the types they are hashed as.
/// </summary>
public sealed class TypedDataPolicyTests
{
    private const string Dai = "0x6b175474e89094c44da98b954eedeac495271d0f";
    private const string Spender = "0x742d35Cc6634C0532925a3b844Bc454e4438f44e";
    private const string Exchange = "0x00000000000000adc04c56bf30ac9d3c0aaf14dc";

    /// <summary>EIP-2612 permits of DAI up to 1,000 base units; no other typed data.</summary>
    private const string SmallDaiPermits = """
        {"kind":"agent","version":1,"rules":[{"id":"permits","chains":["ethereum"],"operations":["typed-data"],
         "limits":{"eth:1:erc20:0x6b175474e89094c44da98b954eedeac495271d0f":{"perTransaction":"1000"}}}]}
        """;

    private static JsonObject Domain(string name, string contract) =>
        new() { ["name"] = name, ["version"] = "1", ["chainId"] = 1, ["verifyingContract"] = contract };

    private static JsonArray Fields(params string[] fields) =>
        [.. fields.Select(f => f.Split(' ')).Select(f => (JsonNode)new JsonObject { ["name"] = f[1], ["type"] = f[0] })];

    private static JsonArray DomainFields() => Fields("string name", "string version", "uint256 chainId", "address verifyingContract");

    [Fact]
    public async Task An_agent_is_refused_a_Permit_whose_type_is_not_EIP_2612s_whatever_value_its_message_also_states()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, SmallDaiPermits);

        // The EIP-2612 permit of 1,000 is what the rule allows.
        var eip2612 = new JsonObject
        {
            ["typedData"] = new JsonObject
            {
                ["types"] = new JsonObject
                {
                    ["EIP712Domain"] = DomainFields(),
                    ["Permit"] = Fields("address owner", "address spender", "uint256 value", "uint256 nonce", "uint256 deadline"),
                },
                ["primaryType"] = "Permit",
                ["domain"] = Domain("Dai Stablecoin", Dai),
                ["message"] = new JsonObject { ["owner"] = Spender, ["spender"] = Spender, ["value"] = "1000", ["nonce"] = 0, ["deadline"] = 1 },
            },
        };
        var allowed = await AgentRequests.SignAsync(server, agent, "ethereum", eip2612.ToJsonString());
        Assert.True(allowed.Status == HttpStatusCode.OK, allowed.Body?.ToJsonString());

        // DAI's own permit (holder, spender, nonce, expiry, allowed) grants an unlimited allowance; the "value" next to it is
        // not in the type, so it is not signed. Undecoded, it is typed data of a domain the rule does not list.
        var daiPermit = new JsonObject
        {
            ["typedData"] = new JsonObject
            {
                ["types"] = new JsonObject
                {
                    ["EIP712Domain"] = DomainFields(),
                    ["Permit"] = Fields("address holder", "address spender", "uint256 nonce", "uint256 expiry", "bool allowed"),
                },
                ["primaryType"] = "Permit",
                ["domain"] = Domain("Dai Stablecoin", Dai),
                ["message"] = new JsonObject { ["holder"] = Spender, ["spender"] = Spender, ["nonce"] = 0, ["expiry"] = 0, ["allowed"] = true, ["value"] = "1" },
            },
        };
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum", daiPermit.ToJsonString()), "eip712-domains");

        // Nor an EIP-2612 layout whose value is hashed as another type than uint256.
        JsonNode renamed = eip2612.DeepClone();
        renamed["typedData"]!["types"]!["Permit"] = Fields("address owner", "address spender", "uint128 value", "uint256 nonce", "uint256 deadline");
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum", renamed.ToJsonString()), "eip712-domains");
    }

    [Fact]
    public async Task An_agent_is_refused_typed_data_whose_domain_type_leaves_out_the_listed_verifying_contract()
    {
        await using KeystoreServer server = await KeystoreServer.StartAsync();
        using Key agent = await AgentRequests.RegisterAgentAsync(server, $$"""
            {"kind":"agent","version":1,"rules":[{"id":"orders","chains":["ethereum"],"operations":["typed-data"],
             "eip712Domains":[{"verifyingContract":"{{Exchange}}"}]}]}
            """);
        JsonObject Order(JsonArray domainType) => new()
        {
            ["typedData"] = new JsonObject
            {
                ["types"] = new JsonObject { ["EIP712Domain"] = domainType, ["Order"] = Fields("address maker", "uint256 amount") },
                ["primaryType"] = "Order",
                ["domain"] = Domain("Exchange", Exchange),
                ["message"] = new JsonObject { ["maker"] = Spender, ["amount"] = "5" },
            },
        };

        var listed = await AgentRequests.SignAsync(server, agent, "ethereum", Order(DomainFields()).ToJsonString());
        Assert.True(listed.Status == HttpStatusCode.OK, listed.Body?.ToJsonString());

        // Without verifyingContract in EIP712Domain the digest names no contract: any exchange with this name, version and
        // chain would take the signature, though the JSON domain still shows the listed one.
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum",
            Order(Fields("string name", "string version", "uint256 chainId")).ToJsonString()), "eip712-domains");
        // Nor one that hashes the contract as another type than address.
        AgentRequests.AssertDenied(await AgentRequests.SignAsync(server, agent, "ethereum",
            Order(Fields("string name", "string version", "uint256 chainId", "string verifyingContract")).ToJsonString()), "opaque");
    }
}
