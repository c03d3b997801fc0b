using Keystore.Near.Encoding;
using Keystore.Auth;

namespace Keystore.Tests.Auth;

/// <summary>Cases from nearcore's account-id validation tests.</summary>
public class AccountIdRulesTests
{
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
    [InlineData("e5f5a1f9a1a3b3c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6")]
    public void Valid(string id) => Assert.True(AccountId.IsValid(id));

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
    public void Invalid(string id) => Assert.False(AccountId.IsValid(id));
}
