using NBitcoin;

namespace Keystore.Chains.Bitcoin;

/// <summary>
/// Bitcoin Taproot: BIP86 path <c>m/86'/{0'|1'}/0'/0/i</c>, P2TR addresses (BIP341 output key with no script tree,
/// bech32m), and key-path signing of PSBT inputs. NBitcoin reads, hashes and writes; the signature itself is BIP340 by
/// libsecp256k1 (<see cref="Secp256k1.SignTaprootKeyPath(ReadOnlySpan{byte}, bool, ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>,
/// verified before it is returned), never NBitcoin's managed secp256k1. What follows from the public key alone (output key,
/// script, TapTweak, the internal key NBitcoin writes) is computed once per key (<see cref="TaprootOutput"/>).
/// </summary>
/// <remarks>
/// Every input whose <c>witness_utxo</c> script is this key's P2TR output (<c>OP_1 &lt;x(Q)&gt;</c>) and is not already
/// finalized gets <c>PSBT_IN_TAP_KEY_SIG</c> (64 bytes for SIGHASH_DEFAULT, 65 with the sighash byte otherwise, the type
/// taken from <c>PSBT_IN_SIGHASH_TYPE</c>) and <c>PSBT_IN_TAP_INTERNAL_KEY</c> if absent. Only the allowed sighash types
/// are signed (by default DEFAULT and ALL): NONE commits to no output and ANYONECANPAY to no other input, so a PSBT asking
/// for them would otherwise get a signature its owner never meant to give. The sighash commits to every input's spent
/// output: from <c>witness_utxo</c>, or else from <c>non_witness_utxo</c> (txid-checked).
/// </remarks>
public sealed class BitcoinSigner(BitcoinNetwork network) : IChainSigner
{
    private static readonly TaprootSigHash[] DefaultAllowed = [TaprootSigHash.Default, TaprootSigHash.All];

    public BitcoinNetwork Network { get; } = network;

    /// <summary>The same network as NBitcoin names it (bech32m prefix bc, tb or bcrt).</summary>
    public Network NBitcoinNetwork { get; } = network switch
    {
        BitcoinNetwork.Mainnet => NBitcoin.Network.Main,
        BitcoinNetwork.Testnet => NBitcoin.Network.TestNet,
        BitcoinNetwork.Regtest => NBitcoin.Network.RegTest,
        _ => throw new ArgumentOutOfRangeException(nameof(network)),
    };

    public string Name => "bitcoin";

    public KeyCurve Curve => KeyCurve.Secp256k1;

    /// <summary>BIP86: <c>86'/coin'/0'/0/index</c>, coin 0 on mainnet and 1 elsewhere.</summary>
    public KeyPath Bip86Path(uint index) =>
        new(0x8000_0056u, Network == BitcoinNetwork.Mainnet ? 0x8000_0000u : 0x8000_0001u, 0x8000_0000u, 0u, ChainPaths.CheckIndex(index));

    public DerivationPath DerivationPath(uint index) =>
        new(ChainPaths.Hardened(86), ChainPaths.Hardened(Network == BitcoinNetwork.Mainnet ? 0u : 1u), ChainPaths.Hardened(0), 0, ChainPaths.CheckIndex(index));

    public ChainAddress Describe(ReadOnlySpan<byte> publicKey) =>
        new(NearKey.FromSecp256k1(publicKey), new TaprootAddress(new TaprootPubKey(OutputKey(publicKey)), NBitcoinNetwork).ToString());

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

    /// <summary>
    /// A BIP174 version 0 PSBT for this network, read strictly: NBitcoin's checks, then unique keys in every map and nothing
    /// after the last one. <see cref="ChainError.InvalidPsbt"/> otherwise.
    /// </summary>
    public PSBT ParsePsbt(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        PSBT psbt;
        try
        {
            psbt = PSBT.Load(data, NBitcoinNetwork);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            // NBitcoin reports malformed input with several exception types (FormatException, PSBTException,
            // ArgumentException, EndOfStreamException...): all of them mean the bytes are not a valid PSBT.
            throw Invalid($"Not a valid PSBT ({ex.Message})");
        }
        if (psbt.Version != PSBTVersion.PSBTv0) throw Invalid("Only PSBT version 0 is supported.");
        if (PsbtLayout.Check(data, psbt.Inputs.Count, psbt.Outputs.Count) is { } problem) throw Invalid(problem);
        // NBitcoin reads any 64-bit amount; consensus allows 0 to 21 million BTC, and a sighash over a negative spent
        // amount would sign a transaction no node accepts.
        foreach (var output in psbt.Outputs)
            CheckAmount(output.Value);
        foreach (var input in psbt.Inputs)
        {
            if (input.WitnessUtxo is { } witnessUtxo) CheckAmount(witnessUtxo.Value);
            else if (input.NonWitnessUtxo is { } previous)
                foreach (var spent in previous.Outputs) CheckAmount(spent.Value);
        }
        return psbt;
    }

    private static void CheckAmount(Money amount)
    {
        if (amount < Money.Zero || amount > MaxMoney) throw Invalid("An amount is negative or above 21 million BTC.");
    }

    private static readonly Money MaxMoney = Money.Coins(21_000_000m);

    /// <summary>
    /// Signs, in place, every unfinalized input of <paramref name="psbt"/> that spends this key's Taproot output, with the
    /// sighash type it asks for if <paramref name="allowedSighashes"/> (by default DEFAULT and ALL) has it. Either every such
    /// input is signed or, on a <see cref="ChainRequestException"/>, none is.
    /// </summary>
    public TaprootSigning SignInputs(SigningKey key, PSBT psbt, IReadOnlyCollection<TaprootSigHash>? allowedSighashes = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(psbt);
        if (key.Curve != KeyCurve.Secp256k1) throw new ArgumentException("Bitcoin signs with a secp256k1 key.", nameof(key));
        var allowed = allowedSighashes ?? DefaultAllowed;

        var taproot = key.PublicValue(TaprootOutput.Of);
        var internalKeyBytes = taproot.InternalKey;
        var ourScript = taproot.Script;
        int inputCount = psbt.Inputs.Count;
        var spent = new TxOut?[inputCount];
        var toSign = new List<(int Index, TaprootSigHash Type)>();
        for (int i = 0; i < inputCount; i++)
        {
            var input = psbt.Inputs[i];
            spent[i] = input.WitnessUtxo;
            if (spent[i] is null || spent[i]!.ScriptPubKey != ourScript) continue;
            // A finalized input is complete; re-signing it would be ignored by finalizers anyway.
            if (input.IsFinalized()) continue;
            if (input.TaprootInternalKey is { } stated && !stated.ToBytes().AsSpan().SequenceEqual(internalKeyBytes))
                throw Invalid($"Input {i} pays to this key but states a different tap_internal_key.");
            var type = TaprootSigHash.Default;
            if (input.SighashType is { } requested)
            {
                if (!TaprootSighashNames.IsValid((uint)requested))
                    throw Invalid($"Input {i} has sighash type 0x{(uint)requested:x}, which Taproot does not allow.");
                type = (TaprootSigHash)(uint)requested;
            }
            if (!allowed.Contains(type))
                throw new ChainRequestException(ChainError.SighashNotAllowed,
                    $"Input {i} asks for sighash {TaprootSighashNames.Name(type)}; list it in 'allowedSighashTypes' to sign it (the default is DEFAULT and ALL).");
            toSign.Add((i, type));
        }
        if (toSign.Count == 0)
            throw new ChainRequestException(ChainError.NoInputToSign, "No unfinalized input spends this key's Taproot output (checked via witness_utxo).");

        // Inputs without witness_utxo (typically someone else's legacy inputs) still commit their amount and script to a
        // Taproot sighash: take them from non_witness_utxo, checked by txid.
        var tx = psbt.GetGlobalTransaction();
        for (int i = 0; i < inputCount; i++)
            spent[i] ??= SpentOutputFromNonWitnessUtxo(psbt.Inputs[i], i);
        bool everyOutputKnown = Array.TrueForAll(spent, o => o is not null);
        foreach (var (index, type) in toSign)
        {
            if (!everyOutputKnown && (type & TaprootSigHash.AnyoneCanPay) == 0)
                throw Invalid($"Input {index}: every input's spent output (amount and script) is needed for this sighash type.");
            if ((type & (TaprootSigHash)0x03) == TaprootSigHash.Single && index >= tx.Outputs.Count)
                throw Invalid($"Input {index}: SIGHASH_SINGLE needs an output with the same index as the input.");
        }

        // ANYONECANPAY commits only to the input's own spent output (BIP341), so unknown ones may stand in as empty outputs.
        for (int i = 0; i < inputCount; i++)
            spent[i] ??= new TxOut();
        var precomputed = tx.PrecomputeTransactionData(spent!);
        // Every sighash before any signature, so a bad input signs nothing; then one keypair signs them all.
        var sighashes = new byte[toSign.Count * 32];
        for (int n = 0; n < toSign.Count; n++)
        {
            var (index, type) = toSign[n];
            tx.GetSignatureHashTaproot(precomputed, new TaprootExecutionData(index) { SigHash = type }).ToBytes(sighashes.AsSpan(n * 32, 32));
        }
        var signatures = new byte[toSign.Count * 64];
        Secp256k1.SignTaprootKeyPath(key.PrivateKey, taproot.InternalKeyOddY, taproot.Tweak, taproot.OutputKey, sighashes, signatures);

        Span<byte> signature = stackalloc byte[65];
        var signedInputs = new int[toSign.Count];
        for (int n = 0; n < toSign.Count; n++)
        {
            var (index, type) = toSign[n];
            signatures.AsSpan(n * 64, 64).CopyTo(signature);
            signature[64] = (byte)type;
            var input = psbt.Inputs[index];
            input.TaprootKeySignature = TaprootSignature.Parse(type == TaprootSigHash.Default ? signature[..64] : signature);
            input.TaprootInternalKey ??= taproot.PsbtInternalKey;
            signedInputs[n] = index;
        }
        return new TaprootSigning(psbt, signedInputs);
    }

    /// <summary>
    /// Finalizes every input of a signed PSBT and extracts the network-ready transaction (NBitcoin's finalizer);
    /// <see cref="ChainError.InvalidPsbt"/> when an input still lacks its signatures.
    /// </summary>
    public static Transaction FinalizeTransaction(PSBT psbt)
    {
        ArgumentNullException.ThrowIfNull(psbt);
        if (!psbt.TryFinalize(out var errors))
            throw Invalid("The PSBT cannot be finalized: " + string.Join("; ", errors.Select(e => e.ToString())));
        return psbt.ExtractTransaction();
    }

    private static TxOut? SpentOutputFromNonWitnessUtxo(PSBTInput input, int index)
    {
        if (input.NonWitnessUtxo is not { } previous) return null;
        var outpoint = input.PrevOut;
        if (previous.GetHash() != outpoint.Hash || outpoint.N >= previous.Outputs.Count)
            throw Invalid($"Input {index}: non_witness_utxo does not match the outpoint it spends.");
        return previous.Outputs[(int)outpoint.N];
    }

    private static ChainRequestException Invalid(string message) => new(ChainError.InvalidPsbt, message);
}
