using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keystore.Policies.Documents;

namespace Keystore.Policies.Schema;

/// <summary>
/// Validates a policy document against the rules of <c>policy.schema.json</c> (by hand, so the keystore needs no
/// schema library) and builds the policy it describes. The first problem is reported with the JSON path of the bad
/// field. Beyond the schema it refuses what JSON Schema cannot say: documents over <see cref="MaxDocumentBytes"/>,
/// nesting deeper than <see cref="MaxDepth"/>, a member named twice, and amounts above 2²⁵⁶−1.
/// </summary>
public static partial class PolicyDocumentValidator
{
    public const int MaxDocumentBytes = 64 * 1024;
    public const int MaxDepth = 8;
    public const int MaxRules = 64;
    public const int MaxListItems = 1024;
    public const int MaxContracts = 256;
    public const int MaxSelectors = 256;
    public const int MaxLimits = 64;
    public const int MaxTimeWindows = 24;
    public const int MaxRequestsPerMinute = 1_000_000;

    private static readonly BigInteger MaxAmount = (BigInteger.One << 256) - 1;

    /// <summary>Validates a document of either kind (<c>agent</c> or <c>account</c>).</summary>
    public static PolicyValidation Validate(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxDocumentBytes)
            return Fail("$", $"the document is larger than {MaxDocumentBytes} bytes");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            // The reader's message names a line and byte position, never document content beyond a token.
            return Fail("$", "not valid JSON" + (e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase) ? $" (nested deeper than {MaxDepth})" : ""));
        }
        using (document)
        {
            try
            {
                JsonElement root = document.RootElement;
                string kind = RequireObject(root, "$", ["kind", "version"], null).GetProperty("kind") is var k && k.ValueKind == JsonValueKind.String
                    ? k.GetString()! : throw new InvalidPolicy("$.kind", "must be \"agent\" or \"account\"");
                return kind switch
                {
                    "agent" => new PolicyValidation(ReadAgent(root), null, null),
                    "account" => new PolicyValidation(null, ReadAccount(root), null),
                    _ => throw new InvalidPolicy("$.kind", "must be \"agent\" or \"account\""),
                };
            }
            catch (InvalidPolicy e)
            {
                return Fail(e.Path, e.Message);
            }
            catch (InvalidOperationException)
            {
                // A string escaping a lone UTF-16 surrogate (\ud800) cannot be read as text.
                return Fail("$", "contains a string that is not valid Unicode");
            }
        }
    }

    /// <summary>Validates an agent policy; an account document is refused at <c>$.kind</c>.</summary>
    public static PolicyValidation ValidateAgent(ReadOnlySpan<byte> utf8Json)
    {
        PolicyValidation result = Validate(utf8Json);
        return result.IsValid && result.Agent is null ? Fail("$.kind", "must be \"agent\"") : result;
    }

    /// <summary>Validates an account policy; an agent document is refused at <c>$.kind</c>.</summary>
    public static PolicyValidation ValidateAccount(ReadOnlySpan<byte> utf8Json)
    {
        PolicyValidation result = Validate(utf8Json);
        return result.IsValid && result.Account is null ? Fail("$.kind", "must be \"account\"") : result;
    }

    private static PolicyValidation Fail(string path, string message) => new(null, null, new PolicyValidationError(path, message));

    private static AgentPolicy ReadAgent(JsonElement root)
    {
        RequireObject(root, "$", ["kind", "version", "rules"], ["kind", "version", "rules"]);
        int version = ReadVersion(root);
        JsonElement rules = root.GetProperty("rules");
        RequireArray(rules, "$.rules", 0, MaxRules);
        var list = new List<PolicyRule>();
        int i = 0;
        foreach (JsonElement rule in rules.EnumerateArray())
        {
            list.Add(ReadRule(rule, $"$.rules[{i}]", i));
            i++;
        }
        return new AgentPolicy(version, list);
    }

    private static AccountPolicy ReadAccount(JsonElement root)
    {
        RequireObject(root, "$", ["kind", "version"], ["kind", "version", "frozen", "limits", "requestsPerMinute", "export"]);
        int version = ReadVersion(root);
        bool frozen = root.TryGetProperty("frozen", out JsonElement f) && ReadBoolean(f, "$.frozen");
        IReadOnlyDictionary<string, AssetLimit> limits = root.TryGetProperty("limits", out JsonElement l)
            ? ReadLimits(l, "$.limits") : new Dictionary<string, AssetLimit>();
        int? rate = root.TryGetProperty("requestsPerMinute", out JsonElement r) ? ReadInteger(r, "$.requestsPerMinute", 1, MaxRequestsPerMinute) : null;
        ExportRule? export = root.TryGetProperty("export", out JsonElement e) ? ReadExport(e, "$.export") : null;
        return new AccountPolicy(version, frozen, limits, rate) { Export = export };
    }

    private static ExportRule ReadExport(JsonElement element, string path)
    {
        RequireObject(element, path, ["allowed"], ["allowed", "approvals"]);
        bool allowed = ReadBoolean(element.GetProperty("allowed"), path + ".allowed");
        if (!element.TryGetProperty("approvals", out JsonElement approvals)) return new ExportRule(allowed, null);
        if (!allowed) throw new InvalidPolicy(path + ".approvals", "has no use when allowed is false (nothing to approve)");
        // The same approvers list as a rule's, without the triggers: every export waits.
        RequireObject(approvals, path + ".approvals", ["required", "approvers"], ["required", "approvers"]);
        ApprovalRule rule = ReadApprovals(approvals, path + ".approvals", new Dictionary<string, AssetLimit>(), null);
        return new ExportRule(true, new ExportApprovals(rule.Required, rule.Approvers));
    }

    private static int ReadVersion(JsonElement root)
    {
        JsonElement v = root.GetProperty("version");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDecimal(out decimal d) || d != 1m)
            throw new InvalidPolicy("$.version", "must be 1 (the only schema version)");
        return 1;
    }

    private static readonly string[] RuleProperties =
    [
        "id", "chains", "operations", "destinations", "contracts", "programs", "eip712Domains", "limits",
        "requestsPerMinute", "timeOfDay", "allowOpaque", "allowUnlimitedApprovals", "approvals",
    ];

    private static PolicyRule ReadRule(JsonElement rule, string path, int index)
    {
        RequireObject(rule, path, ["chains", "operations"], RuleProperties);
        string id = $"rules[{index}]";
        if (rule.TryGetProperty("id", out JsonElement idElement))
            id = ReadString(idElement, path + ".id", RuleIdPattern(), "1 to 64 letters, digits, '.', '_' or '-'");

        var chains = ReadEnumSet<PolicyChain>(rule.GetProperty("chains"), path + ".chains", PolicyNames.TryParseChain, "ethereum, bitcoin or solana");
        var operations = ReadEnumSet<PolicyOperation>(rule.GetProperty("operations"), path + ".operations", PolicyNames.TryParseOperation,
            "transaction, personal-message, typed-data, psbt or offchain-message");

        HashSet<string> deny = [];
        HashSet<string>? allow = null;
        if (rule.TryGetProperty("destinations", out JsonElement destinations))
        {
            string dpath = path + ".destinations";
            RequireObject(destinations, dpath, [], ["allow", "deny"]);
            if (destinations.TryGetProperty("allow", out JsonElement a)) allow = ReadAddresses(a, dpath + ".allow");
            if (destinations.TryGetProperty("deny", out JsonElement d)) deny = ReadAddresses(d, dpath + ".deny");
        }

        var contracts = new List<ContractRule>();
        if (rule.TryGetProperty("contracts", out JsonElement contractList))
        {
            string cpath = path + ".contracts";
            RequireArray(contractList, cpath, 0, MaxContracts);
            int i = 0;
            foreach (JsonElement contract in contractList.EnumerateArray())
            {
                string itemPath = $"{cpath}[{i++}]";
                RequireObject(contract, itemPath, ["address"], ["address", "selectors"]);
                string address = ReadString(contract.GetProperty("address"), itemPath + ".address", EvmAddressPattern(), "a 0x-prefixed 20-byte hex address").ToLowerInvariant();
                HashSet<string>? selectors = null;
                if (contract.TryGetProperty("selectors", out JsonElement s))
                {
                    RequireArray(s, itemPath + ".selectors", 1, MaxSelectors);
                    selectors = [];
                    int j = 0;
                    foreach (JsonElement selector in s.EnumerateArray())
                        selectors.Add(ReadString(selector, $"{itemPath}.selectors[{j++}]", SelectorPattern(), "a 0x-prefixed 4-byte hex selector").ToLowerInvariant());
                }
                contracts.Add(new ContractRule(address, selectors));
            }
        }

        HashSet<string> programs = [];
        if (rule.TryGetProperty("programs", out JsonElement programList))
        {
            RequireArray(programList, path + ".programs", 0, MaxContracts);
            int i = 0;
            foreach (JsonElement program in programList.EnumerateArray())
                programs.Add(ReadString(program, $"{path}.programs[{i++}]", Base58AddressPattern(), "a base58 Solana address"));
        }

        List<Eip712DomainRule>? domains = null;
        if (rule.TryGetProperty("eip712Domains", out JsonElement domainList))
        {
            string dpath = path + ".eip712Domains";
            RequireArray(domainList, dpath, 0, MaxContracts);
            domains = [];
            int i = 0;
            foreach (JsonElement domain in domainList.EnumerateArray())
            {
                string itemPath = $"{dpath}[{i++}]";
                RequireObject(domain, itemPath, [], ["name", "version", "chainId", "verifyingContract"]);
                if (!domain.EnumerateObject().Any()) throw new InvalidPolicy(itemPath, "must name at least one of name, version, chainId, verifyingContract");
                string? name = domain.TryGetProperty("name", out JsonElement n) ? ReadText(n, itemPath + ".name", 256) : null;
                string? version = domain.TryGetProperty("version", out JsonElement v) ? ReadText(v, itemPath + ".version", 64) : null;
                ulong? chainId = domain.TryGetProperty("chainId", out JsonElement c) ? (ulong)ReadLong(c, itemPath + ".chainId", 1, MaxSafeInteger) : null;
                string? contract = domain.TryGetProperty("verifyingContract", out JsonElement vc)
                    ? ReadString(vc, itemPath + ".verifyingContract", EvmAddressPattern(), "a 0x-prefixed 20-byte hex address").ToLowerInvariant() : null;
                domains.Add(new Eip712DomainRule(name, version, chainId, contract));
            }
        }

        IReadOnlyDictionary<string, AssetLimit> limits = rule.TryGetProperty("limits", out JsonElement l)
            ? ReadLimits(l, path + ".limits") : new Dictionary<string, AssetLimit>();
        int? rate = rule.TryGetProperty("requestsPerMinute", out JsonElement r) ? ReadInteger(r, path + ".requestsPerMinute", 1, MaxRequestsPerMinute) : null;

        List<TimeOfDayWindow>? windows = null;
        if (rule.TryGetProperty("timeOfDay", out JsonElement t))
        {
            string tpath = path + ".timeOfDay";
            RequireArray(t, tpath, 1, MaxTimeWindows);
            windows = [];
            int i = 0;
            foreach (JsonElement window in t.EnumerateArray())
            {
                string itemPath = $"{tpath}[{i++}]";
                RequireObject(window, itemPath, ["from", "to"], ["from", "to"]);
                windows.Add(new TimeOfDayWindow(ReadTime(window.GetProperty("from"), itemPath + ".from"), ReadTime(window.GetProperty("to"), itemPath + ".to")));
            }
        }

        return new PolicyRule
        {
            Id = id,
            Chains = chains,
            Operations = operations,
            DenyDestinations = deny,
            AllowDestinations = allow,
            Contracts = contracts,
            Programs = programs,
            Eip712Domains = domains,
            Limits = limits,
            RequestsPerMinute = rate,
            TimeOfDay = windows,
            AllowOpaque = rule.TryGetProperty("allowOpaque", out JsonElement o) && ReadBoolean(o, path + ".allowOpaque"),
            AllowUnlimitedApprovals = rule.TryGetProperty("allowUnlimitedApprovals", out JsonElement u) && ReadBoolean(u, path + ".allowUnlimitedApprovals"),
            Approvals = rule.TryGetProperty("approvals", out JsonElement ap) ? ReadApprovals(ap, path + ".approvals", limits, allow) : null,
        };
    }

    public const int MaxApprovers = 32;

    private static ApprovalRule ReadApprovals(JsonElement element, string path, IReadOnlyDictionary<string, AssetLimit> limits, HashSet<string>? allow)
    {
        RequireObject(element, path, ["required", "approvers"], ["required", "approvers", "above", "destinationsNotAllowed"]);
        JsonElement list = element.GetProperty("approvers");
        RequireArray(list, path + ".approvers", 1, MaxApprovers);
        var approvers = new List<string>();
        int i = 0;
        foreach (JsonElement item in list.EnumerateArray())
        {
            string itemPath = $"{path}.approvers[{i++}]";
            if (item.ValueKind != JsonValueKind.String || !Near.Encoding.AccountId.IsValid(item.GetString()!))
                throw new InvalidPolicy(itemPath, "must be a NEAR account id (2 to 64 characters of a-z, 0-9 and single '.', '-' or '_' separators)");
            if (approvers.Contains(item.GetString()!, StringComparer.Ordinal)) throw new InvalidPolicy(itemPath, "is listed twice");
            approvers.Add(item.GetString()!);
        }
        int required = ReadInteger(element.GetProperty("required"), path + ".required", 1, MaxApprovers);
        if (required > approvers.Count) throw new InvalidPolicy(path + ".required", $"must be at most the number of approvers ({approvers.Count})");

        var above = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        if (element.TryGetProperty("above", out JsonElement thresholds))
        {
            string apath = path + ".above";
            RequireObject(thresholds, apath, [], null);
            foreach (JsonProperty asset in thresholds.EnumerateObject())
            {
                // An asset the rule does not let move never reaches the threshold: naming one is a mistake worth refusing.
                if (!limits.ContainsKey(asset.Name))
                    throw new InvalidPolicy(apath + Member(asset.Name), "must be an asset the rule's limits name");
                above[asset.Name] = ReadAmount(asset.Value, apath + Member(asset.Name));
            }
        }
        bool unlisted = element.TryGetProperty("destinationsNotAllowed", out JsonElement d) && ReadBoolean(d, path + ".destinationsNotAllowed");
        if (unlisted && allow is null)
            throw new InvalidPolicy(path + ".destinationsNotAllowed", "needs the rule's destinations.allow list (the destinations that do not wait for approvals)");
        return new ApprovalRule(required, approvers, above, unlisted);
    }

    private static readonly string[] LimitProperties = ["perTransaction", "hourly", "daily", "weekly", "monthly"];

    private static Dictionary<string, AssetLimit> ReadLimits(JsonElement limits, string path)
    {
        RequireObject(limits, path, [], null);
        var result = new Dictionary<string, AssetLimit>(StringComparer.Ordinal);
        foreach (JsonProperty asset in limits.EnumerateObject())
        {
            string assetPath = path + Member(asset.Name);
            if (!AssetId.IsValid(asset.Name))
                throw new InvalidPolicy(assetPath, "is not an asset id (eth:<chainId>, eth:<chainId>:erc20:<contract>, sol, sol:spl:<mint> or btc)");
            if (result.Count == MaxLimits) throw new InvalidPolicy(path, $"names more than {MaxLimits} assets");
            RequireObject(asset.Value, assetPath, [], LimitProperties);
            BigInteger? perTransaction = asset.Value.TryGetProperty("perTransaction", out JsonElement p) ? ReadAmount(p, assetPath + ".perTransaction") : null;
            var windows = new List<WindowLimit>();
            foreach (var (name, length) in PolicyNames.Periods)
                if (asset.Value.TryGetProperty(name, out JsonElement w))
                    windows.Add(new WindowLimit(name, length, ReadAmount(w, $"{assetPath}.{name}")));
            result[asset.Name] = new AssetLimit(asset.Name, perTransaction, windows);
        }
        return result;
    }

    private static BigInteger ReadAmount(JsonElement element, string path)
    {
        string text = ReadString(element, path, AmountPattern(), "a decimal string of base units (wei, lamports, satoshis), without sign, exponent or leading zeros");
        BigInteger value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value > MaxAmount) throw new InvalidPolicy(path, "is larger than 2^256-1");
        return value;
    }

    private static int ReadTime(JsonElement element, string path)
    {
        string text = ReadString(element, path, TimePattern(), "a UTC time HH:MM (00:00 to 23:59)");
        return int.Parse(text.AsSpan(0, 2), CultureInfo.InvariantCulture) * 60 + int.Parse(text.AsSpan(3, 2), CultureInfo.InvariantCulture);
    }

    private static HashSet<string> ReadAddresses(JsonElement list, string path)
    {
        RequireArray(list, path, 0, MaxListItems);
        var result = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (JsonElement item in list.EnumerateArray())
            result.Add(PolicyAddress.Normalize(ReadString(item, $"{path}[{i++}]", DestinationPattern(), "an address (1 to 128 letters and digits, 0x-prefixed for EVM)")));
        return result;
    }

    private static HashSet<T> ReadEnumSet<T>(JsonElement list, string path, TryParse<T> parse, string expected) where T : struct, Enum
    {
        RequireArray(list, path, 1, 16);
        var result = new HashSet<T>();
        int i = 0;
        foreach (JsonElement item in list.EnumerateArray())
        {
            string itemPath = $"{path}[{i++}]";
            if (item.ValueKind != JsonValueKind.String || !parse(item.GetString()!, out T value))
                throw new InvalidPolicy(itemPath, "must be one of " + expected);
            if (!result.Add(value)) throw new InvalidPolicy(itemPath, "is listed twice");
        }
        return result;
    }

    private delegate bool TryParse<T>(string text, out T value);

    private const long MaxSafeInteger = 9_007_199_254_740_991;

    private static int ReadInteger(JsonElement element, string path, int min, int max) => (int)ReadLong(element, path, min, max);

    private static long ReadLong(JsonElement element, string path, long min, long max)
    {
        // JSON Schema's "integer" is a number with no fractional part, whatever its spelling (1, 1.0, 1e0).
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDecimal(out decimal d) || d != decimal.Truncate(d) || d < min || d > max)
            throw new InvalidPolicy(path, $"must be an integer from {min} to {max}");
        return (long)d;
    }

    private static bool ReadBoolean(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new InvalidPolicy(path, "must be true or false"),
    };

    private static string ReadText(JsonElement element, string path, int maxLength)
    {
        if (element.ValueKind != JsonValueKind.String) throw new InvalidPolicy(path, "must be a string");
        string text = element.GetString()!;
        // Schema maxLength counts code points; a string of at most maxLength UTF-16 units is within it.
        if (text.EnumerateRunes().Count() > maxLength) throw new InvalidPolicy(path, $"must be at most {maxLength} characters");
        return text;
    }

    private static string ReadString(JsonElement element, string path, Regex pattern, string expected)
    {
        if (element.ValueKind != JsonValueKind.String || !pattern.IsMatch(element.GetString()!))
            throw new InvalidPolicy(path, "must be " + expected);
        return element.GetString()!;
    }

    private static void RequireArray(JsonElement element, string path, int minItems, int maxItems)
    {
        if (element.ValueKind != JsonValueKind.Array) throw new InvalidPolicy(path, "must be an array");
        int count = element.GetArrayLength();
        if (count < minItems) throw new InvalidPolicy(path, $"must have at least {minItems} item(s)");
        if (count > maxItems) throw new InvalidPolicy(path, $"must have at most {maxItems} items");
    }

    /// <summary>Checks an object: no member twice, none outside <paramref name="allowed"/> (null: any), every one of <paramref name="required"/>.</summary>
    private static JsonElement RequireObject(JsonElement element, string path, string[] required, string[]? allowed)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new InvalidPolicy(path, "must be an object");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name)) throw new InvalidPolicy(path + Member(property.Name), "is named twice");
            if (allowed is not null && Array.IndexOf(allowed, property.Name) < 0)
                throw new InvalidPolicy(path + Member(property.Name), "is not a known property");
        }
        foreach (string name in required)
            if (!seen.Contains(name)) throw new InvalidPolicy(path + Member(name), "is required");
        return element;
    }

    /// <summary>A member in JSON path notation: <c>.daily</c>, or <c>['eth:1']</c> when the name is not an identifier.</summary>
    private static string Member(string name)
    {
        if (IdentifierPattern().IsMatch(name)) return "." + name;
        string shown = name.Length > 64 ? name[..64] + "…" : name;
        return "['" + shown.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "']";
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}\\z")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}\\z")]
    private static partial Regex RuleIdPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}\\z")]
    private static partial Regex EvmAddressPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]{8}\\z")]
    private static partial Regex SelectorPattern();

    [GeneratedRegex("^[1-9A-HJ-NP-Za-km-z]{32,44}\\z")]
    private static partial Regex Base58AddressPattern();

    [GeneratedRegex("^[0-9A-Za-z]{1,128}\\z")]
    private static partial Regex DestinationPattern();

    [GeneratedRegex("^(0|[1-9][0-9]{0,77})\\z")]
    private static partial Regex AmountPattern();

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]\\z")]
    private static partial Regex TimePattern();

    private sealed class InvalidPolicy(string path, string message) : Exception(message)
    {
        public string Path { get; } = path;
    }
}
