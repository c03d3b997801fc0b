using Keystore.Near.Encoding;
using Xunit;

namespace Keystore.Near.Tests.Encoding;

public class Base58Tests
{
    // Vectors from the Bitcoin Core base58 test data (base58_encode_decode.json).
    [Theory]
    [InlineData("", "")]
    [InlineData("61", "2g")]
    [InlineData("626262", "a3gV")]
    [InlineData("636363", "aPEr")]
    [InlineData("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2")]
    [InlineData("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L")]
    [InlineData("516b6fcd0f", "ABnLTmg")]
    [InlineData("bf4f89001e670274dd", "3SEo3LWLoPntC")]
    [InlineData("572e4794", "3EFU7m")]
    [InlineData("ecac89cad93923c02321", "EJDM8drfXA6uyA")]
    [InlineData("10c8511e", "Rt5zm")]
    [InlineData("00000000000000000000", "1111111111")]
    public void Encodes_and_decodes_bitcoin_vectors(string hex, string text)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Equal(text, Base58.Encode(bytes));
        Assert.Equal(bytes, Base58.Decode(text));
    }

    [Theory]
    [InlineData("0OIl")]
    [InlineData("abc!")]
    [InlineData("ab c")]
    [InlineData("abc+")]
    [InlineData("é")]
    public void Rejects_characters_outside_the_alphabet(string text)
    {
        Assert.False(Base58.TryDecode(text, out _));
        Assert.Throws<FormatException>(() => Base58.Decode(text));
    }

    [Fact]
    public void Round_trips_random_data()
    {
        var rng = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            var data = new byte[rng.Next(0, 70)];
            rng.NextBytes(data);
            if (data.Length > 0 && rng.Next(3) == 0) data[0] = 0;
            Assert.Equal(data, Base58.Decode(Base58.Encode(data)));
        }
    }
}
