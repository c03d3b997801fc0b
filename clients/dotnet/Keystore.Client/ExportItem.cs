using System.Text.Json.Nodes;

namespace Keystore.Client;

/// <summary>One thing an export carries: the mnemonic, a chain key, or Bitcoin's BIP86 account key (<c>xprv</c>).</summary>
public sealed record ExportItem
{
    private ExportItem(string? chain, uint index, string? format)
    {
        Chain = chain;
        Index = index;
        Format = format;
    }

    /// <summary>The 24 words every key of the account derives from.</summary>
    public static ExportItem Mnemonic { get; } = new(null, 0, null);

    /// <summary>Null for <see cref="Mnemonic"/>.</summary>
    public string? Chain { get; }

    public uint Index { get; }

    /// <summary><c>xprv</c> for <see cref="BitcoinAccountKey"/>, otherwise null (the chain's own key format).</summary>
    public string? Format { get; }

    /// <summary>The private key of one address (<c>ethereum</c>, <c>solana</c> or <c>bitcoin</c>, at <paramref name="index"/>).</summary>
    public static ExportItem Key(string chain, uint index = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(chain);
        return new ExportItem(chain, index, null);
    }

    /// <summary>The BIP86 account key <c>m/86'/0'/0'</c> (<c>m/86'/1'/0'</c> off mainnet), from which every Bitcoin index derives.</summary>
    public static ExportItem BitcoinAccountKey() => new("bitcoin", 0, "xprv");

    internal JsonNode ToJson() => Chain is null
        ? JsonValue.Create("mnemonic")
        : Format is null
            ? new JsonObject { ["chain"] = Chain, ["index"] = Index }
            : new JsonObject { ["chain"] = Chain, ["format"] = Format };
}
