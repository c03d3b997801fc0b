using static Keystore.Chains.Tests.TestSupport;

namespace Keystore.Chains.Tests;

public class Base58Tests
{
    // bitcoin/bitcoin src/test/data/base58_encode_decode.json
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
    public void EncodesAndDecodes(string hex, string base58)
    {
        Assert.Equal(base58, Base58.Encode(Hex(hex)));
        Assert.True(Base58.TryDecode(base58, out var decoded));
        Assert.Equal(hex, ToHex(decoded));
    }

    [Theory]
    [InlineData("0OIl")]
    [InlineData("abc+")]
    [InlineData("é")]
    public void RejectsCharactersOutsideTheAlphabet(string text) => Assert.False(Base58.TryDecode(text, out _));

    [Fact]
    public void RoundTripsRandomData()
    {
        var random = new Random(7);
        for (int n = 0; n < 200; n++)
        {
            var data = new byte[random.Next(0, 70)];
            random.NextBytes(data);
            if (data.Length > 0 && random.Next(3) == 0) data[0] = 0;
            Assert.True(Base58.TryDecode(Base58.Encode(data), out var back));
            Assert.Equal(data, back);
        }
    }
}
