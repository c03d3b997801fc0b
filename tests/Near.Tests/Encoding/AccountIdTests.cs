using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Xunit;

namespace Keystore.Near.Tests.Encoding;

public class AccountIdTests
{
    // Valid / invalid examples from nearcore's near-account-id crate tests.
    [Theory]
    [InlineData("aa")]
    [InlineData("a-a")]
    [InlineData("a-aa")]
    [InlineData("100")]
    [InlineData("0o")]
    [InlineData("com")]
    [InlineData("near")]
    [InlineData("bowen")]
    [InlineData("b-o_w_e-n")]
    [InlineData("b.owen")]
    [InlineData("bro.wen")]
    [InlineData("a.ha")]
    [InlineData("a.b-a.ra")]
    [InlineData("system")]
    [InlineData("over.9000")]
    [InlineData("google.com")]
    [InlineData("illia.cheapaccounts.near")]
    [InlineData("0o0ooo00oo00o")]
    [InlineData("alex-skidanov")]
    [InlineData("10-4.8-2")]
    [InlineData("no_lols")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void Accepts_valid(string id)
    {
        Assert.True(AccountId.IsValid(id));
        Assert.Equal(id, AccountId.Parse(id).Value);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("A")]
    [InlineData("Abc")]
    [InlineData("-near")]
    [InlineData("near-")]
    [InlineData("-near-")]
    [InlineData("near.")]
    [InlineData(".near")]
    [InlineData("near@")]
    [InlineData("@near")]
    [InlineData("неар")]
    [InlineData("@@@@@")]
    [InlineData("0__0")]
    [InlineData("0_-_0")]
    [InlineData("..")]
    [InlineData("a..near")]
    [InlineData("nEar")]
    [InlineData("_bowen")]
    [InlineData("hello world")]
    [InlineData("abcdefghijklmnopqrstuvwxyz.abcdefghijklmnopqrstuvwxyz.abcdefghijklmnopqrstuvwxyz")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234")]
    [InlineData("")]
    public void Rejects_invalid(string id)
    {
        Assert.False(AccountId.IsValid(id));
        Assert.Throws<FormatException>(() => AccountId.Parse(id));
    }

    [Fact]
    public void Implicit_account_is_hex_of_public_key()
    {
        var key = new Ed25519PublicKey(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());
        var id = AccountId.Implicit(key);
        Assert.Equal(64, id.Value.Length);
        Assert.True(id.IsNearImplicit);
        Assert.False(AccountId.Parse("alice.near").IsNearImplicit);
        Assert.True(AccountId.Parse("0x" + new string('a', 40)).IsEthImplicit);
        Assert.True(AccountId.Parse("a.alice.near").IsSubAccountOf(AccountId.Parse("alice.near")));
        Assert.False(AccountId.Parse("aalice.near").IsSubAccountOf(AccountId.Parse("alice.near")));
    }
}
