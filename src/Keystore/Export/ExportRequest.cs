using System.Text.Json;
using Keystore.Api;
using Keystore.Chains;
using Keystore.Problems;

namespace Keystore.Export;

/// <summary>
/// The body of <c>POST /v1/accounts/{account}/export</c>:
/// <c>{"recipient": "age1…", "include": ["mnemonic", {"chain": "ethereum", "index": 0}, …]}</c>. Parsed
/// strictly (no unknown member, no duplicate item, nothing empty) so what is exported is exactly what was asked.
/// </summary>
public sealed record ExportRequest(AgeRecipient Recipient, bool IncludeMnemonic, IReadOnlyList<ExportedKey> Keys)
{
    public const string MnemonicItem = "mnemonic";

    /// <summary>The include item format that asks for the Bitcoin BIP86 account extended private key.</summary>
    public const string XprvFormat = "xprv";

    /// <summary>Enough for every chain at a handful of indices; an export is not a bulk dump.</summary>
    public const int MaxItems = 32;

    /// <summary>What the export holds, by name (<c>mnemonic</c>, <c>ethereum/0</c>): safe to log and to answer with.</summary>
    public IReadOnlyList<string> Contents =>
        (IncludeMnemonic ? new[] { MnemonicItem } : []).Concat(Keys.Select(k => k.Label)).ToArray();

    public static ExportRequest Parse(JsonElement body, ChainSignerRegistry chains)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw Invalid("The body must be a JSON object {\"recipient\": \"age1…\", \"include\": [\"mnemonic\", …]}.");
        AgeRecipient? recipient = null;
        JsonElement? include = null;
        foreach (JsonProperty member in body.EnumerateObject())
        {
            switch (member.Name)
            {
                case "recipient":
                    if (member.Value.ValueKind != JsonValueKind.String)
                        throw new ProblemException(ExportProblemTypes.InvalidRecipient, "recipient must be a string 'age1…'.");
                    try
                    {
                        recipient = AgeRecipient.Parse(member.Value.GetString());
                    }
                    catch (AgeRecipientException ex)
                    {
                        throw new ProblemException(ExportProblemTypes.InvalidRecipient, ex.Message);
                    }
                    break;
                case "include":
                    include = member.Value;
                    break;
                default:
                    throw Invalid($"Unknown member '{Truncate(member.Name)}'; an export takes 'recipient' and 'include'.");
            }
        }
        if (recipient is null)
            throw new ProblemException(ExportProblemTypes.InvalidRecipient, "recipient is required: an age X25519 public key 'age1…' (age-keygen prints it).");
        if (include is not { ValueKind: JsonValueKind.Array } items || items.GetArrayLength() == 0)
            throw Invalid("include must be a non-empty array of \"mnemonic\" and {\"chain\": …, \"index\": …} items.");
        if (items.GetArrayLength() > MaxItems)
            throw Invalid($"include lists at most {MaxItems} items.");

        bool mnemonic = false;
        var keys = new List<ExportedKey>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement item in items.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() == MnemonicItem)
            {
                if (mnemonic) throw Invalid("include names the mnemonic twice.");
                mnemonic = true;
                continue;
            }
            if (item.ValueKind != JsonValueKind.Object)
                throw Invalid("Each include item is \"mnemonic\", {\"chain\": \"ethereum\" | \"bitcoin\" | \"solana\", \"index\": i} or {\"chain\": \"bitcoin\", \"format\": \"xprv\"}.");
            ExportedKey key = ParseKey(item, chains);
            if (!seen.Add(key.Label)) throw Invalid($"include names {key.Label} twice.");
            keys.Add(key);
        }
        return new ExportRequest(recipient, mnemonic, keys);
    }

    private static ExportedKey ParseKey(JsonElement item, ChainSignerRegistry chains)
    {
        string? chain = null;
        bool xprv = false, hasIndex = false;
        foreach (JsonProperty member in item.EnumerateObject())
        {
            switch (member.Name)
            {
                case "chain":
                    if (member.Value.ValueKind != JsonValueKind.String) throw Invalid("chain must be a string.");
                    chain = member.Value.GetString();
                    break;
                case "index":
                    hasIndex = true;
                    break;
                case "format":
                    if (member.Value.ValueKind != JsonValueKind.String || member.Value.GetString() != XprvFormat)
                        throw Invalid("format, when given, is \"xprv\" (the Bitcoin BIP86 account key); other keys come in their wallet's import format.");
                    xprv = true;
                    break;
                default:
                    throw Invalid($"Unknown member '{Truncate(member.Name)}' in an include item; it takes 'chain', 'index' and, for Bitcoin, 'format'.");
            }
        }
        if (chain is null) throw Invalid("An include item names its chain: {\"chain\": \"ethereum\", \"index\": 0}.");
        IChainSigner signer = chains.Get(chain);
        if (!xprv) return new ExportedKey(signer, RequestValidation.IndexFromBody(item));
        if (signer.Name != "bitcoin") throw Invalid("format \"xprv\" is for Bitcoin only: the BIP86 account key m/86'/c'/0'.");
        if (hasIndex) throw Invalid("The BIP86 account key covers every index; give no index with format \"xprv\".");
        return new ExportedKey(signer, 0, AccountXprv: true);
    }

    private static ProblemException Invalid(string detail) => new(ExportProblemTypes.InvalidExport, detail);

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
