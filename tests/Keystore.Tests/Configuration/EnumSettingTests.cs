using Keystore.Auth;
using Keystore.Chains.Bitcoin;
using Keystore.Configuration;

namespace Keystore.Tests.Configuration;

/// <summary>Enum-like settings are checked and read through their enum: one list, parsed once, spelt as the README spells it.</summary>
public sealed class EnumSettingTests
{
    [Fact]
    public void The_enum_is_the_list_of_accepted_spellings()
    {
        Assert.Equal(["mainnet", "testnet", "regtest"], EnumSetting.Names<BitcoinNetwork>());
        Assert.Equal("one of mainnet, testnet, regtest", EnumSetting.Choices<BitcoinNetwork>());
        Assert.Equal("'config' or 'near'", EnumSetting.Choices<OwnerKeySourceKind>());
    }

    [Theory]
    [InlineData("regtest", true)]
    [InlineData("Regtest", false)]
    [InlineData("2", false)]
    [InlineData("mainnet,testnet", false)]
    [InlineData(" regtest", false)]
    [InlineData(null, false)]
    public void Only_a_lowercase_member_name_is_accepted(string? text, bool accepted)
    {
        Assert.Equal(accepted, EnumSetting.TryParse(text, out BitcoinNetwork network));
        if (accepted) Assert.Equal(BitcoinNetwork.Regtest, network);
    }

    [Fact]
    public void Options_expose_the_parsed_values()
    {
        var options = new KeystoreOptions { Bitcoin = { Network = "testnet" }, Auth = { OwnerKeySource = "near" } };
        Assert.Equal(BitcoinNetwork.Testnet, options.Bitcoin.ParsedNetwork);
        Assert.Equal(OwnerKeySourceKind.Near, options.Auth.ParsedOwnerKeySource);
        options.Bitcoin.Network = "signet";
        Assert.Contains("Keystore:Bitcoin:Network must be one of", Assert.Throws<InvalidOperationException>(() => options.Bitcoin.ParsedNetwork).Message);
    }
}
