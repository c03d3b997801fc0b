using System.Text.Json;
using Keystore.Chains.Solana;
using Keystore.Policies.Decoding;
using Keystore.Policies.Documents;

namespace Keystore.Tests.Policies;

/// <summary>The decoders read what wallets build (ethers, @solana/web3.js, @solana/spl-token, @scure/btc-signer) as those libraries say it is.</summary>
public class IntentDecoderTests
{
    [Fact]
    public void Ethereum_transactions_typed_data_and_messages_built_by_ethers_decode_to_what_ethers_encoded()
    {
        var cases = WalletBuiltRequests.Of("ethereum");
        Assert.True(cases.Count >= 12);
        foreach (var @case in cases)
        {
            SignIntent intent = WalletBuiltRequests.Decode("ethereum", @case);
            Assert.Equal(PolicyChain.Ethereum, intent.Chain);
            WalletBuiltRequests.AssertMatches(@case, intent);
        }
        Assert.Equal(PolicyOperation.PersonalMessage, WalletBuiltRequests.Decode("ethereum", WalletBuiltRequests.Named("ethereum", "personal message")).Operation);
        Assert.Equal(PolicyOperation.TypedData, WalletBuiltRequests.Decode("ethereum", WalletBuiltRequests.Named("ethereum", "EIP-2612 permit")).Operation);
    }

    [Fact]
    public void Solana_messages_and_transactions_built_by_web3js_and_spl_token_decode_to_what_they_encoded()
    {
        var cases = WalletBuiltRequests.Of("solana");
        Assert.True(cases.Count >= 11);
        foreach (var @case in cases)
        {
            SignIntent intent = WalletBuiltRequests.Decode("solana", @case);
            Assert.Equal(PolicyOperation.Transaction, intent.Operation);
            WalletBuiltRequests.AssertMatches(@case, intent);
        }
    }

    [Fact]
    public void PSBTs_built_by_scure_btc_signer_decode_to_their_outputs_to_others_and_their_fee_on_every_network()
    {
        var cases = WalletBuiltRequests.Of("bitcoin");
        Assert.Contains(cases, c => (string)c["network"]! == "Regtest");
        foreach (var @case in cases)
        {
            SignIntent intent = WalletBuiltRequests.Decode("bitcoin", @case);
            Assert.Equal(PolicyOperation.Psbt, intent.Operation);
            WalletBuiltRequests.AssertMatches(@case, intent);
        }
    }

    [Fact]
    public void An_output_to_an_own_address_is_not_spend_but_the_same_output_to_anyone_else_is()
    {
        var @case = WalletBuiltRequests.Named("bitcoin", "PSBT on Mainnet");
        SignIntent ownChange = WalletBuiltRequests.Decode("bitcoin", @case);
        SignIntent nothingOwn = BitcoinIntentDecoder.Decode(WalletBuiltRequests.Body(@case), BitcoinAddressNetwork.Mainnet, _ => false);
        Assert.Equal(ownChange.Transfers.Count + 1, nothingOwn.Transfers.Count); // the change output
        Assert.Contains(nothingOwn.Transfers, t => t.Amount == 95_000 && t.Destination == (string)@case["own"]![0]!);
    }

    [Fact]
    public void A_non_witness_utxo_that_does_not_hash_to_the_outpoint_gives_no_amount_so_the_fee_is_unknown()
    {
        var @case = WalletBuiltRequests.Named("bitcoin", "PSBT with a non_witness_utxo input");
        byte[] psbt = Convert.FromBase64String((string)@case["body"]!["psbt"]!);
        Assert.False(BitcoinIntentDecoder.DecodePsbt(psbt, BitcoinAddressNetwork.Mainnet, _ => false).Opaque);
        // The previous transaction's 30,000-sat output, raised to 31,000: its txid no longer matches the outpoint.
        byte[] value = BitConverter.GetBytes(30_000UL);
        int at = psbt.AsSpan().IndexOf(value);
        Assert.True(at > 0);
        BitConverter.GetBytes(31_000UL).CopyTo(psbt, at);
        SignIntent intent = BitcoinIntentDecoder.DecodePsbt(psbt, BitcoinAddressNetwork.Mainnet, _ => false);
        Assert.True(intent.Opaque);
        Assert.Contains("fee is unknown", intent.OpaqueReason, StringComparison.Ordinal);
        Assert.DoesNotContain(intent.Transfers, t => t.Kind == TransferKind.Fee);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"transaction\": 5}")]
    [InlineData("{\"transaction\": {\"to\": \"0xabababababababababababababababababababab\", \"value\": \"0x1\"}}")]
    [InlineData("{\"transaction\": {\"chainId\": \"1\", \"to\": \"0x12\", \"value\": \"0x1\"}}")]
    [InlineData("{\"transaction\": {\"chainId\": \"1\", \"to\": \"0xabababababababababababababababababababab\", \"value\": \"-1\"}}")]
    [InlineData("{\"transaction\": {\"chainId\": \"1\", \"to\": \"0xabababababababababababababababababababab\", \"value\": \"1e18\"}}")]
    [InlineData("{\"transaction\": {\"chainId\": \"1\", \"to\": \"0xabababababababababababababababababababab\", \"data\": \"0xa9059c\"}}")]
    [InlineData("{\"transaction\": {\"chainId\": \"1\", \"to\": \"0xabababababababababababababababababababab\", \"data\": \"0xa9059cbb00\"}}")]
    [InlineData("{\"transaction\": {\"chainId\": \"1\", \"to\": \"0xabababababababababababababababababababab\", \"value\": \"0x10000000000000000000000000000000000000000000000000000000000000000\"}}")]
    [InlineData("{\"typedData\": {\"domain\": 1}}")]
    [InlineData("{\"typedData\": {\"primaryType\": \"Permit\", \"domain\": {\"name\": \"x\"}, \"message\": {}}}")]
    [InlineData("{\"typedData\": {\"primaryType\": \"Permit\", \"domain\": {\"chainId\": 1, \"verifyingContract\": \"0x6b175474e89094c44da98b954eedeac495271d0f\"}, \"message\": {}}}")]
    [InlineData("{\"typedData\": {\"types\": {\"EIP712Domain\": 1}, \"primaryType\": \"Permit\", \"domain\": {\"chainId\": 1}, \"message\": {}}}")]
    [InlineData("{\"typedData\": {\"primaryType\": \"PermitSingle\", \"domain\": {\"chainId\": 1}, \"message\": {}}}")]
    public void Ethereum_bodies_that_cannot_be_read_are_opaque_never_an_exception(string body)
    {
        SignIntent intent = EthereumIntentDecoder.Decode(JsonDocument.Parse(body).RootElement);
        Assert.True(intent.Opaque);
        Assert.False(string.IsNullOrEmpty(intent.OpaqueReason));
    }

    [Fact]
    public void Random_and_truncated_payloads_never_throw_in_any_decoder()
    {
        var random = new Random(13);
        var realSolana = Convert.FromBase64String((string)WalletBuiltRequests.Named("solana", "SOL transfer, v0 message")["body"]!["message"]!);
        var realPsbt = Convert.FromBase64String((string)WalletBuiltRequests.Named("bitcoin", "PSBT on Mainnet")["body"]!["psbt"]!);
        for (int i = 0; i < 3000; i++)
        {
            byte[] noise = new byte[random.Next(0, 300)];
            random.NextBytes(noise);
            byte[] solana = realSolana[..random.Next(0, realSolana.Length + 1)];
            byte[] psbt = realPsbt[..random.Next(0, realPsbt.Length + 1)];
            if (solana.Length > 0) solana[random.Next(solana.Length)] ^= (byte)random.Next(1, 256);
            if (psbt.Length > 0 && i % 2 == 0) psbt[random.Next(psbt.Length)] ^= (byte)random.Next(1, 256);
            Assert.NotNull(SolanaIntentDecoder.DecodeMessage(noise));
            Assert.NotNull(SolanaIntentDecoder.DecodeMessage(noise, wire: true));
            Assert.NotNull(SolanaIntentDecoder.DecodeMessage(solana));
            Assert.NotNull(BitcoinIntentDecoder.DecodePsbt(noise, BitcoinAddressNetwork.Mainnet, _ => false));
            Assert.NotNull(BitcoinIntentDecoder.DecodePsbt(psbt, BitcoinAddressNetwork.Mainnet, _ => false));
            Assert.False(SolanaOffchainMessage.TryParse(noise, out _, out _) && noise.Length < 20);
        }
        Assert.True(SolanaIntentDecoder.DecodeMessage(realSolana[..^1]).Opaque);
        Assert.True(BitcoinIntentDecoder.DecodePsbt(realPsbt[..^1], BitcoinAddressNetwork.Mainnet, _ => false).Opaque);
    }
}
