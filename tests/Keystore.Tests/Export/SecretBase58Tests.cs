using System.Security.Cryptography;
using System.Text;
using Keystore.Export;
using Keystore.Near.Encoding;

namespace Keystore.Tests.Export;

/// <summary>The wipeable Base58 writer against the keystore's ordinary one and published Base58Check vectors.</summary>
public class SecretBase58Tests
{
    [Fact]
    public void It_matches_ordinary_base58_on_random_data_with_and_without_leading_zeros()
    {
        for (int length = 0; length <= 70; length++)
        {
            for (int zeros = 0; zeros <= Math.Min(length, 3); zeros++)
            {
                byte[] data = RandomNumberGenerator.GetBytes(length);
                data.AsSpan(0, zeros).Clear();
                using var text = new SecretText(4);
                SecretBase58.Append(text, data);
                Assert.Equal(Base58.Encode(data), Encoding.ASCII.GetString(text.Bytes));
            }
        }
    }

    /// <summary>The WIF of private key 1 (compressed), as in the Bitcoin wiki's "Wallet import format" page.</summary>
    [Theory]
    [InlineData("800000000000000000000000000000000000000000000000000000000000000001" + "01", "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn")]
    [InlineData("800C28FCA386C7A227600B2FE50B7CAE11EC86D3BF1FBE471BE89827E19D72AA1D", "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ")]
    public void Base58Check_gives_the_published_WIF(string payloadHex, string expected)
    {
        using var text = new SecretText();
        SecretBase58.AppendChecked(text, Convert.FromHexString(payloadHex));
        Assert.Equal(expected, Encoding.ASCII.GetString(text.Bytes));
    }

    [Fact]
    public void Hex_is_lower_case_and_growing_the_buffer_keeps_the_text()
    {
        byte[] data = RandomNumberGenerator.GetBytes(300);
        using var text = new SecretText(16);
        text.Append("0x").AppendHex(data);
        Assert.Equal("0x" + Convert.ToHexStringLower(data), Encoding.ASCII.GetString(text.Bytes));
        Assert.Equal("SecretText(602 bytes, [redacted])", text.ToString());
    }

    [Fact]
    public void Every_buffer_the_text_used_is_zero_after_growing_shrinking_and_disposing()
    {
        var text = new SecretText(16);
        byte[] first = (byte[])typeof(SecretText).GetField("_buffer", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(text)!;
        text.Append("0123456789abcdef");
        text.Reserve(8).Fill((byte)'x');
        text.Shrink(3);
        Assert.Equal("0123456789abcdefxxxxx", Encoding.ASCII.GetString(text.Bytes));
        byte[] grown = (byte[])typeof(SecretText).GetField("_buffer", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(text)!;
        Assert.NotSame(first, grown);
        Assert.All(first, b => Assert.Equal(0, b));
        Assert.All(grown[21..], b => Assert.Equal(0, b));
        text.Dispose();
        Assert.All(grown, b => Assert.Equal(0, b));
        Assert.Equal(0, text.Length);
    }
}
