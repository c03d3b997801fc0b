using Keystore.Derivation;

namespace Keystore.Tests.Derivation;

public class DerivationPathTests
{
    [Theory]
    [InlineData("m", "m")]
    [InlineData("m/44'/60'/0'/0/7", "m/44'/60'/0'/0/7")]
    [InlineData("m/86h/1H/0'/0/0", "m/86'/1'/0'/0/0")]
    [InlineData("m/2147483647'", "m/2147483647'")]
    public void Round_trips(string text, string canonical) => Assert.Equal(canonical, DerivationPath.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("44'/0")]
    [InlineData("m/")]
    [InlineData("m/-1")]
    [InlineData("m/2147483648")]
    [InlineData("m/1''")]
    [InlineData("m/ 1")]
    [InlineData("m/+1")]
    public void Rejects_malformed_paths(string text) => Assert.Throws<FormatException>(() => DerivationPath.Parse(text));

    [Fact]
    public void Hardened_indices_carry_the_high_bit() =>
        Assert.Equal([0x8000002Cu, 0x8000003Cu, 0x80000000u, 0u, 5u], DerivationPath.Parse("m/44'/60'/0'/0/5").Indices.ToArray());
}
