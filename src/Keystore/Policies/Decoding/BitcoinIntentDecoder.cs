using System.Numerics;
using System.Text.Json;
using Keystore.Policies.Documents;

namespace Keystore.Policies.Decoding;

/// <summary>
/// Decodes a Bitcoin sign body (<c>psbt</c>: base64 BIP174) into a <see cref="SignIntent"/>: every output that does
/// not pay one of the account's own addresses (<c>isOwnAddress</c>, e.g. its Taproot change) is a transfer of
/// <c>btc</c> to that address, and the fee (inputs' amounts − outputs) is spent too. A PSBT that does not say
/// what an input is worth, an output script with no address, or an input asking for a sighash type that does not commit to
/// every output (NONE, SINGLE), makes the intent opaque. Never throws on a hostile body.
/// </summary>
public static class BitcoinIntentDecoder
{
    public static SignIntent Decode(JsonElement body, BitcoinAddressNetwork network, Func<string, bool> isOwnAddress)
    {
        ArgumentNullException.ThrowIfNull(isOwnAddress);
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("psbt", out JsonElement psbt)
            || psbt.ValueKind != JsonValueKind.String || !psbt.TryGetBytesFromBase64(out byte[]? bytes))
            return Opaque("the body has no base64 psbt");
        return DecodePsbt(bytes, network, isOwnAddress);
    }

    public static SignIntent DecodePsbt(ReadOnlySpan<byte> psbt, BitcoinAddressNetwork network, Func<string, bool> isOwnAddress)
    {
        if (!PsbtReader.TryRead(psbt, out PsbtReader.Contents contents)) return Opaque("the PSBT is malformed");
        var transfers = new List<AssetTransfer>();
        string? opaque = null;
        // The outputs below are what the policy judges; a signature that does not commit to all of them lets whoever holds
        // it send the inputs' value elsewhere (the agent writes both the PSBT's sighash type and allowedSighashTypes).
        if (contents.OutputsLeftOpen)
            opaque = "an input asks for SIGHASH_NONE or SIGHASH_SINGLE, whose signature does not commit to every output";
        BigInteger outputs = BigInteger.Zero;
        foreach (PsbtReader.Output output in contents.Outputs)
        {
            outputs += output.Value;
            string? address = BitcoinAddressText.FromScript(output.Script, network);
            if (address is not null && isOwnAddress(address)) continue;
            if (address is null)
            {
                // A zero-value OP_RETURN carries data and pays no one.
                if (output.Value == 0 && output.Script.Length > 0 && output.Script[0] == 0x6a) continue;
                opaque ??= "an output script has no address";
            }
            transfers.Add(new AssetTransfer(AssetId.Bitcoin, address ?? "script:" + Convert.ToHexStringLower(output.Script), output.Value, TransferKind.Native));
        }
        if (contents.InputAmounts.Any(a => a is null))
            opaque ??= "an input has neither a witness_utxo nor a matching non_witness_utxo, so the fee is unknown";
        else
        {
            BigInteger inputs = contents.InputAmounts.Aggregate(BigInteger.Zero, (sum, a) => sum + a!.Value);
            if (inputs < outputs) opaque ??= "the outputs are worth more than the inputs";
            else transfers.Add(new AssetTransfer(AssetId.Bitcoin, null, inputs - outputs, TransferKind.Fee));
        }
        return new SignIntent { Chain = PolicyChain.Bitcoin, Operation = PolicyOperation.Psbt, Transfers = transfers, OpaqueReason = opaque };
    }

    private static SignIntent Opaque(string reason) =>
        new() { Chain = PolicyChain.Bitcoin, Operation = PolicyOperation.Psbt, OpaqueReason = reason };
}
