using System.Text.Json;
using System.Text.Json.Nodes;
using Keystore.Api.ChainRequests;
using Keystore.Chains;
using Keystore.Chains.Bitcoin;
using NBitcoin;

namespace Keystore.Tests.Api.ChainRequests;

/// <summary>The JSON face of Bitcoin signing: request shapes, the problem each bad one gets, and the answer's shape.</summary>
public class BitcoinRequestHandlerTests
{
    private static readonly BitcoinSigner Signer = new(BitcoinNetwork.Regtest);
    private static readonly BitcoinRequestHandler Handler = new(Signer);

    private static SigningKey Key() =>
        new(KeyCurve.Secp256k1, Convert.FromHexString("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef"));

    /// <summary>A PSBT spending one output of <paramref name="key"/> (asking for <paramref name="sighash"/> if given) and, optionally, a foreign one.</summary>
    private static string Psbt(SigningKey key, SigHash? sighash = null, bool foreignInput = false)
    {
        var tx = Network.RegTest.CreateTransaction();
        tx.Inputs.Add(new TxIn(new OutPoint(uint256.One, 0)));
        if (foreignInput) tx.Inputs.Add(new TxIn(new OutPoint(uint256.One, 1)));
        tx.Outputs.Add(new TxOut(Money.Satoshis(4000), new Script([0x51, 0x20, .. new byte[32]])));
        var psbt = PSBT.FromTransaction(tx, Network.RegTest);
        psbt.Inputs[0].WitnessUtxo = new TxOut(Money.Satoshis(5000), new Script(BitcoinSigner.OutputScript(key.PublicKey)));
        psbt.Inputs[0].SighashType = sighash;
        if (foreignInput) psbt.Inputs[1].WitnessUtxo = new TxOut(Money.Satoshis(5000), new Script([0x51, 0x20, .. Enumerable.Repeat((byte)0x11, 32)]));
        return psbt.ToBase64();
    }

    private static JsonObject Sign(SigningKey key, JsonObject request) =>
        Handler.Sign(key, JsonDocument.Parse(request.ToJsonString()).RootElement);

    private static string Problem(SigningKey key, string request)
    {
        var ex = Assert.Throws<ChainRequestException>(() => Handler.Sign(key, JsonDocument.Parse(request).RootElement));
        return ChainProblems.For(ex.Error).Slug;
    }

    [Fact]
    public void A_signed_psbt_comes_back_with_the_indices_it_signed_and_nothing_else()
    {
        using var key = Key();
        var result = Sign(key, new JsonObject { ["psbt"] = Psbt(key, foreignInput: true) });
        Assert.Equal(["psbt", "signedInputs"], result.Select(p => p.Key).ToArray());
        Assert.Equal("[0]", result["signedInputs"]!.ToJsonString());
        var signed = PSBT.Parse((string)result["psbt"]!, Network.RegTest);
        Assert.NotNull(signed.Inputs[0].TaprootKeySignature);
        Assert.Null(signed.Inputs[1].TaprootKeySignature);
    }

    [Theory]
    [InlineData("""{"psbt": "not base64!"}""", "invalid-psbt")]
    [InlineData("""{"psbt": 42}""", "invalid-psbt")]
    [InlineData("""{"psbt": ""}""", "invalid-psbt")]
    [InlineData("""{"psbt": "cHNidP8BAHsCAAAAAgEBAQEBAQ=="}""", "invalid-psbt")]
    [InlineData("""{}""", "invalid-request")]
    [InlineData("""{"psbt": null}""", "invalid-request")]
    [InlineData("""[]""", "invalid-request")]
    [InlineData("""{"psbt": "PSBT", "allowedSighashTypes": "ALL"}""", "invalid-request")]
    [InlineData("""{"psbt": "PSBT", "allowedSighashTypes": ["ANYONECANPAY"]}""", "invalid-request")]
    [InlineData("""{"psbt": "PSBT", "allowedSighashTypes": ["all"]}""", "invalid-request")]
    [InlineData("""{"psbt": "PSBT", "allowedSighashTypes": [1]}""", "invalid-request")]
    [InlineData("""{"psbt": "PSBT", "finalize": "yes"}""", "invalid-request")]
    [InlineData("""{"psbt": "PSBT", "finalize": 1}""", "invalid-request")]
    [InlineData("""{"psbt": "FOREIGN", "finalize": true}""", "invalid-psbt")]
    [InlineData("""{"psbt": "NONE"}""", "sighash-not-allowed")]
    [InlineData("""{"psbt": "NONE", "allowedSighashTypes": ["DEFAULT", "ALL"]}""", "sighash-not-allowed")]
    public void Bad_requests_get_their_problem_type(string request, string problem)
    {
        using var key = Key();
        request = request.Replace("\"PSBT\"", $"\"{Psbt(key)}\"", StringComparison.Ordinal)
            .Replace("\"FOREIGN\"", $"\"{Psbt(key, foreignInput: true)}\"", StringComparison.Ordinal)
            .Replace("\"NONE\"", $"\"{Psbt(key, SigHash.None)}\"", StringComparison.Ordinal);
        Assert.Equal(problem, Problem(key, request));
    }

    [Fact]
    public void A_listed_sighash_type_is_signed_and_null_members_mean_the_defaults()
    {
        using var key = Key();
        var none = Sign(key, new JsonObject { ["psbt"] = Psbt(key, SigHash.None), ["allowedSighashTypes"] = new JsonArray("NONE") });
        Assert.Equal(0x02, PSBT.Parse((string)none["psbt"]!, Network.RegTest).Inputs[0].TaprootKeySignature!.ToBytes()[64]);
        var defaults = Sign(key, new JsonObject { ["psbt"] = Psbt(key, SigHash.All), ["allowedSighashTypes"] = null, ["finalize"] = null });
        Assert.Equal("[0]", defaults["signedInputs"]!.ToJsonString());
    }

    [Fact]
    public void Finalize_returns_the_finalized_psbt_and_its_raw_transaction()
    {
        using var key = Key();
        var result = Sign(key, new JsonObject { ["psbt"] = Psbt(key), ["finalize"] = true });
        Assert.Equal(["psbt", "signedInputs", "rawTransaction"], result.Select(p => p.Key).ToArray());
        var finalized = PSBT.Parse((string)result["psbt"]!, Network.RegTest);
        Assert.True(finalized.IsAllFinalized());
        var tx = Transaction.Parse((string)result["rawTransaction"]!, Network.RegTest);
        var witness = Assert.Single(tx.Inputs[0].WitScript.Pushes);
        Assert.Equal(64, witness.Length);
        // The witness is a BIP340 signature of the BIP341 sighash by this key's output key.
        var spent = new TxOut(Money.Satoshis(5000), new Script(BitcoinSigner.OutputScript(key.PublicKey)));
        var sighash = tx.GetSignatureHashTaproot(tx.PrecomputeTransactionData([spent]), new TaprootExecutionData(0)).ToBytes();
        Assert.True(Secp256k1.VerifySchnorr(BitcoinSigner.OutputKey(key.PublicKey), sighash, witness));
        Assert.Equal(tx.ToHex(), finalized.ExtractTransaction().ToHex());
    }
}
