using Keystore.Chains.Bitcoin;
using Keystore.Chains.Ethereum;
using Keystore.Chains.Solana;

namespace Keystore.Chains.Tests;

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

    [Fact]
    public void Each_chain_builds_its_path_as_indices_without_text()
    {
        Assert.Equal(DerivationPath.Parse("m/44'/60'/0'/0/9"), new EthereumSigner().DerivationPath(9));
        Assert.Equal(DerivationPath.Parse("m/86'/0'/0'/0/9"), new BitcoinSigner(BitcoinNetwork.Mainnet).DerivationPath(9));
        Assert.Equal(DerivationPath.Parse("m/86'/1'/0'/0/9"), new BitcoinSigner(BitcoinNetwork.Testnet).DerivationPath(9));
        Assert.Equal(DerivationPath.Parse("m/44'/501'/9'/0'"), new SolanaSigner().DerivationPath(9));
    }

    [Fact]
    public void Paths_are_equal_by_their_indices_only()
    {
        Assert.Equal(DerivationPath.Parse("m/44h/60h/0h/0/1"), new DerivationPath(0x8000002Cu, 0x8000003Cu, 0x80000000u, 0u, 1u));
        Assert.Equal(DerivationPath.Parse("m/44'/60'/0'/0/1").GetHashCode(), new DerivationPath(0x8000002Cu, 0x8000003Cu, 0x80000000u, 0u, 1u).GetHashCode());
        Assert.NotEqual(DerivationPath.Parse("m/44'/60'/0'/0/1"), DerivationPath.Parse("m/44'/60'/0'/0/1'"));
        Assert.NotEqual(DerivationPath.Parse("m/44'/60'/0'/0"), DerivationPath.Parse("m/44'/60'/0'/0/0"));
    }

    [Fact]
    public void Address_indices_from_2_to_the_31_are_refused_by_every_chain()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EthereumSigner().DerivationPath(0x8000_0000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BitcoinSigner(BitcoinNetwork.Mainnet).DerivationPath(0x8000_0000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SolanaSigner().DerivationPath(0x8000_0000));
    }
}
