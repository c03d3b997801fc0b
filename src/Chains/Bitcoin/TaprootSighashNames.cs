using NBitcoin;

namespace Keystore.Chains.Bitcoin;

/// <summary>
/// The names of the seven sighash types BIP341 allows (<c>DEFAULT</c>, <c>ALL</c>, <c>NONE</c>, <c>SINGLE</c>, the last three
/// also <c>…|ANYONECANPAY</c>), as requests list them and refusals name them.
/// </summary>
public static class TaprootSighashNames
{
    private static readonly (string Name, TaprootSigHash Type)[] Names =
    [
        ("DEFAULT", TaprootSigHash.Default),
        ("ALL", TaprootSigHash.All),
        ("NONE", TaprootSigHash.None),
        ("SINGLE", TaprootSigHash.Single),
        ("ALL|ANYONECANPAY", TaprootSigHash.All | TaprootSigHash.AnyoneCanPay),
        ("NONE|ANYONECANPAY", TaprootSigHash.None | TaprootSigHash.AnyoneCanPay),
        ("SINGLE|ANYONECANPAY", TaprootSigHash.Single | TaprootSigHash.AnyoneCanPay),
    ];

    /// <summary>Every name, in the order above (for messages that list them).</summary>
    public static IEnumerable<string> All => Names.Select(n => n.Name);

    public static bool TryParse(string name, out TaprootSigHash type)
    {
        foreach (var (known, value) in Names)
        {
            if (string.Equals(known, name, StringComparison.Ordinal))
            {
                type = value;
                return true;
            }
        }
        type = default;
        return false;
    }

    public static string Name(TaprootSigHash type)
    {
        foreach (var (name, value) in Names)
            if (value == type) return name;
        return $"0x{(uint)type:x2}";
    }

    /// <summary>Whether BIP341 allows <paramref name="type"/> in a Taproot signature.</summary>
    public static bool IsValid(uint type) => type is 0x00 or 0x01 or 0x02 or 0x03 or 0x81 or 0x82 or 0x83;
}
