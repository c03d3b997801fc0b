using Keystore.Chains.Solana;

namespace Keystore.Tests.Policies;

/// <summary>Solana off-chain messages as @solana/offchain-messages encodes them, and the guard against transaction bytes.</summary>
public class SolanaOffchainMessageTests
{
    [Fact]
    public void Off_chain_messages_encoded_by_solana_offchain_messages_parse_to_their_header_and_text()
    {
        var valid = WalletBuiltRequests.Of("offchain").Where(c => (bool)c["expect"]!["valid"]!).ToList();
        Assert.True(valid.Count >= 4);
        foreach (var @case in valid)
        {
            byte[] bytes = Convert.FromBase64String((string)@case["bytes"]!);
            var expect = @case["expect"]!;
            Assert.True(SolanaOffchainMessage.TryParse(bytes, out var message, out string error), $"{@case["name"]}: {error}");
            Assert.Equal((int)expect["version"]!, message.Version);
            Assert.Equal((int?)expect["format"], message.Format);
            Assert.Equal((string)expect["text"]!, message.Text);
            Assert.Equal((string?)expect["applicationDomain"], message.ApplicationDomain);
            Assert.Equal(expect["signers"]!.AsArray().Select(s => (string)s!), message.Signers);
            Assert.True(message.IsSigner((string)expect["signers"]![0]!));
            Assert.Equal(bytes, message.BytesToSign.ToArray());
            Assert.True(message.BytesToSign.StartsWith(SolanaOffchainMessage.SigningDomain));
        }
    }

    [Fact]
    public void A_text_that_is_a_transaction_message_and_a_bare_transaction_message_are_refused()
    {
        var refused = WalletBuiltRequests.Of("offchain").Where(c => !(bool)c["expect"]!["valid"]!).ToList();
        Assert.Equal(3, refused.Count);
        foreach (var @case in refused)
        {
            byte[] bytes = Convert.FromBase64String((string)@case["bytes"]!);
            Assert.False(SolanaOffchainMessage.TryParse(bytes, out _, out string error));
            Assert.Contains((string)@case["expect"]!["error"]!, error, StringComparison.Ordinal);
            Assert.Throws<FormatException>(() => SolanaOffchainMessage.Parse(bytes));
        }
        byte[] transaction = Convert.FromBase64String((string)WalletBuiltRequests.Named("solana", "SOL transfer, wire transaction")["body"]!["transaction"]!);
        Assert.True(SolanaOffchainMessage.IsTransaction(transaction));
        Assert.True(SolanaOffchainMessage.IsTransaction(Convert.FromBase64String((string)WalletBuiltRequests.Named("solana", "SOL transfer, legacy message")["body"]!["message"]!)));
    }

    [Fact]
    public void Headers_that_break_the_format_are_refused_with_the_reason()
    {
        byte[] good = Convert.FromBase64String((string)WalletBuiltRequests.Named("offchain", "v0 restricted ASCII")["bytes"]!);
        byte[] v1 = Convert.FromBase64String((string)WalletBuiltRequests.Named("offchain", "v1 two signers")["bytes"]!);
        string Refusal(byte[] bytes)
        {
            Assert.False(SolanaOffchainMessage.TryParse(bytes, out _, out string error));
            return error;
        }
        byte[] Changed(byte[] source, int index, byte value)
        {
            byte[] copy = (byte[])source.Clone();
            copy[index] = value;
            return copy;
        }
        Assert.Contains("version 2", Refusal(Changed(good, 16, 2)), StringComparison.Ordinal);
        Assert.Contains("format 3", Refusal(Changed(good, 49, 3)), StringComparison.Ordinal);
        Assert.Contains("no signer", Refusal(Changed(good, 50, 0)), StringComparison.Ordinal);
        Assert.Contains("length", Refusal(good[..^1]), StringComparison.Ordinal);
        Assert.Contains("printable ASCII", Refusal(Changed(good, good.Length - 1, 0x0a)), StringComparison.Ordinal);
        Assert.Contains("signing domain", Refusal(Changed(good, 0, 0xfe)), StringComparison.Ordinal);
        // v1: signers must be sorted: swap the two.
        byte[] swapped = (byte[])v1.Clone();
        v1.AsSpan(18, 32).CopyTo(swapped.AsSpan(50, 32));
        v1.AsSpan(50, 32).CopyTo(swapped.AsSpan(18, 32));
        Assert.Contains("sorted", Refusal(swapped), StringComparison.Ordinal);
        Assert.Contains("empty", Refusal(v1[..82]), StringComparison.Ordinal);
        Assert.Contains("UTF-8", Refusal([.. v1, 0xff]), StringComparison.Ordinal);
    }
}
