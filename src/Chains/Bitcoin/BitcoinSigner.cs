using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keystore.Chains.Bitcoin;

/// <summary>
/// Bitcoin Taproot: BIP86 path <c>m/86'/{0'|1'}/0'/0/i</c>, P2TR addresses (BIP341 output key with
/// no script tree, bech32m), and key-path signing of PSBT inputs.
/// </summary>
/// <remarks>
/// Request <c>{"psbt": base64}</c> (BIP174 v0). Every input whose <c>witness_utxo</c> script is this
/// key's P2TR output (<c>OP_1 &lt;x(Q)&gt;</c>) and is not already finalized gets a BIP341 key-path
/// signature (<c>PSBT_IN_TAP_KEY_SIG</c>; 64 bytes for SIGHASH_DEFAULT, 65 with the sighash byte
/// otherwise, the type taken from <c>PSBT_IN_SIGHASH_TYPE</c>) and <c>PSBT_IN_TAP_INTERNAL_KEY</c>
/// if absent. Only SIGHASH_DEFAULT and SIGHASH_ALL are signed unless the request lists the types it accepts in
/// <c>"allowedSighashTypes"</c> (<c>"DEFAULT"</c>, <c>"ALL"</c>, <c>"NONE"</c>, <c>"SINGLE"</c>, each also
/// <c>"…|ANYONECANPAY"</c>): NONE commits to no output and ANYONECANPAY to no other input, so a PSBT asking for
/// them would otherwise get a signature its owner never meant to give. Other inputs and unknown entries are untouched. The sighash commits to every
/// input's spent output: from <c>witness_utxo</c>, or else from <c>non_witness_utxo</c> (txid-checked).
/// Response <c>{"psbt": base64, "signedInputs": [indices]}</c>.
/// </remarks>
public sealed class BitcoinSigner(BitcoinNetwork network) : IChainSigner
{
    public BitcoinNetwork Network { get; } = network;

    public string Name => "bitcoin";

    public KeyCurve Curve => KeyCurve.Secp256k1;

    /// <summary>The bech32 human-readable part: bc, tb or bcrt.</summary>
    public string Hrp => Network switch
    {
        BitcoinNetwork.Mainnet => "bc",
        BitcoinNetwork.Testnet => "tb",
        BitcoinNetwork.Regtest => "bcrt",
        _ => throw new ArgumentOutOfRangeException(nameof(Network)),
    };

    public DerivationPath DerivationPath(uint index) =>
        new(ChainSigners.Hardened(86), ChainSigners.Hardened(Network == BitcoinNetwork.Mainnet ? 0u : 1u), ChainSigners.Hardened(0), 0, ChainSigners.CheckIndex(index));

    public ChainAddress Describe(ReadOnlySpan<byte> publicKey) =>
        new(NearKey.FromSecp256k1(publicKey), Bech32.EncodeSegwitAddress(Hrp, 1, OutputKey(publicKey)));

    /// <summary>x(Q), the BIP86 output key (no script tree) of a 33-byte compressed internal key.</summary>
    public static byte[] OutputKey(ReadOnlySpan<byte> compressed33)
    {
        if (compressed33.Length != 33 || !Secp256k1.IsValidPublicKey(compressed33))
            throw new ArgumentException("Not a valid 33-byte compressed secp256k1 public key.", nameof(compressed33));
        var output = new byte[32];
        if (!Secp256k1.TryGetTaprootOutputKey(compressed33[1..], [], output, out _))
            throw new ArgumentException("The key cannot be tweaked.", nameof(compressed33));
        return output;
    }

    /// <summary>The P2TR scriptPubKey <c>OP_1 OP_PUSHBYTES_32 x(Q)</c>.</summary>
    public static byte[] OutputScript(ReadOnlySpan<byte> compressed33) => [0x51, 0x20, .. OutputKey(compressed33)];

    public JsonObject Sign(SigningKey key, JsonElement request)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Curve != KeyCurve.Secp256k1) throw new ArgumentException("Bitcoin signs with a secp256k1 key.", nameof(key));
        var (_, value) = ChainSigners.SingleMember(request, "psbt");
        var allowed = AllowedSighashTypes(request);
        var psbt = ParsePsbt(value);

        var internalKey = key.PublicKey[1..].ToArray();
        var ourScript = OutputScript(key.PublicKey);
        int inputCount = psbt.Inputs.Count;
        var spent = new TxOut?[inputCount];
        var toSign = new List<(int Index, byte HashType)>();
        for (int i = 0; i < inputCount; i++)
        {
            var map = psbt.Inputs[i];
            spent[i] = psbt.WitnessUtxo(i);
            if (spent[i] is null || !spent[i]!.ScriptPubKey.AsSpan().SequenceEqual(ourScript)) continue;
            // A finalized input is complete; re-signing it would be ignored by finalizers anyway.
            if (map.Contains(Psbt.InFinalScriptWitness) || map.Contains(Psbt.InFinalScriptSig)) continue;
            if (map.Get(Psbt.InTapInternalKey) is { } stated && !stated.AsSpan().SequenceEqual(internalKey))
                throw Invalid($"Input {i} pays to this key but states a different tap_internal_key.");
            byte hashType = TaprootSighash.Default;
            if (map.Get(Psbt.InSighashType) is { } sighash)
            {
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(sighash);
                if (type > 0xff || !TaprootSighash.IsValidHashType((int)type))
                    throw Invalid($"Input {i} has sighash type 0x{type:x}, which Taproot does not allow.");
                hashType = (byte)type;
            }
            if (!allowed.Contains(hashType))
                throw new ChainRequestException(ChainError.SighashNotAllowed,
                    $"Input {i} asks for sighash {SighashName(hashType)}; list it in 'allowedSighashTypes' to sign it (the default is DEFAULT and ALL).");
            toSign.Add((i, hashType));
        }
        if (toSign.Count == 0)
            throw new ChainRequestException(ChainError.NoInputToSign, "No unfinalized input spends this key's Taproot output (checked via witness_utxo).");

        // Inputs without witness_utxo (typically someone else's legacy inputs) still commit their
        // amount and script to a Taproot sighash: take them from non_witness_utxo, checked by txid.
        for (int i = 0; i < inputCount; i++)
            spent[i] ??= SpentOutputFromNonWitnessUtxo(psbt, i);

        // Compute every sighash before producing any signature, so a bad input signs nothing.
        var sighasher = new TaprootSighash(psbt.UnsignedTransaction, spent);
        var sighashes = new List<byte[]>(toSign.Count);
        foreach (var (index, hashType) in toSign)
        {
            try
            {
                sighashes.Add(sighasher.Compute(index, hashType));
            }
            catch (InvalidOperationException ex)
            {
                throw Invalid($"Input {index}: {ex.Message}");
            }
        }

        Span<byte> signature = stackalloc byte[64];
        var signedInputs = new JsonArray();
        for (int n = 0; n < toSign.Count; n++)
        {
            var (index, hashType) = toSign[n];
            Secp256k1.SignTaprootKeyPath(key.PrivateKey, [], sighashes[n], signature);
            byte[] value65 = hashType == TaprootSighash.Default ? signature.ToArray() : [.. signature, hashType];
            var map = psbt.Inputs[index];
            map.Set(Psbt.InTapKeySig, value65);
            if (!map.Contains(Psbt.InTapInternalKey)) map.Set(Psbt.InTapInternalKey, internalKey);
            signedInputs.Add(index);
        }
        return new JsonObject
        {
            ["psbt"] = Convert.ToBase64String(psbt.Serialize()),
            ["signedInputs"] = signedInputs,
        };
    }

    private static readonly byte[] DefaultAllowed = [TaprootSighash.Default, TaprootSighash.All];

    private static readonly Dictionary<string, byte> SighashNames = new(StringComparer.Ordinal)
    {
        ["DEFAULT"] = TaprootSighash.Default,
        ["ALL"] = TaprootSighash.All,
        ["NONE"] = TaprootSighash.None,
        ["SINGLE"] = TaprootSighash.Single,
        ["ALL|ANYONECANPAY"] = TaprootSighash.All | TaprootSighash.AnyoneCanPay,
        ["NONE|ANYONECANPAY"] = TaprootSighash.None | TaprootSighash.AnyoneCanPay,
        ["SINGLE|ANYONECANPAY"] = TaprootSighash.Single | TaprootSighash.AnyoneCanPay,
    };

    private static string SighashName(byte type) =>
        SighashNames.FirstOrDefault(n => n.Value == type).Key ?? $"0x{type:x2}";

    /// <summary>The sighash types the request accepts: its <c>allowedSighashTypes</c>, or DEFAULT and ALL.</summary>
    private static IReadOnlyCollection<byte> AllowedSighashTypes(JsonElement request)
    {
        if (!request.TryGetProperty("allowedSighashTypes", out var list) || list.ValueKind == JsonValueKind.Null)
            return DefaultAllowed;
        const string shape = "'allowedSighashTypes' is an array of DEFAULT, ALL, NONE, SINGLE, ALL|ANYONECANPAY, NONE|ANYONECANPAY, SINGLE|ANYONECANPAY.";
        if (list.ValueKind != JsonValueKind.Array)
            throw new ChainRequestException(ChainError.InvalidRequest, shape);
        var allowed = new HashSet<byte>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !SighashNames.TryGetValue(item.GetString()!, out byte type))
                throw new ChainRequestException(ChainError.InvalidRequest, shape);
            allowed.Add(type);
        }
        return allowed;
    }

    private static TxOut? SpentOutputFromNonWitnessUtxo(Psbt psbt, int index)
    {
        if (psbt.Inputs[index].Get(Psbt.InNonWitnessUtxo) is not { } raw) return null;
        BitcoinTransaction previous;
        try
        {
            previous = BitcoinTransaction.ParseAnyFormat(raw);
        }
        catch (FormatException ex)
        {
            throw Invalid($"Input {index}: non_witness_utxo is not a transaction ({ex.Message})");
        }
        var outpoint = psbt.UnsignedTransaction.Inputs[index];
        if (!previous.TxId().AsSpan().SequenceEqual(outpoint.PrevTxId) || outpoint.PrevIndex >= previous.Outputs.Count)
            throw Invalid($"Input {index}: non_witness_utxo does not match the outpoint it spends.");
        return previous.Outputs[(int)outpoint.PrevIndex];
    }

    private static Psbt ParsePsbt(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) throw Invalid("'psbt' must be a base64 string.");
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value.GetString()!);
        }
        catch (FormatException)
        {
            throw Invalid("'psbt' is not valid base64.");
        }
        try
        {
            return Psbt.Parse(bytes);
        }
        catch (FormatException ex)
        {
            throw Invalid(ex.Message);
        }
    }

    private static ChainRequestException Invalid(string message) => new(ChainError.InvalidPsbt, message);
}
