using System.Text;
using Keystore.Configuration;
using Keystore.MasterSecrets;

namespace Keystore.Tests.Configuration;

/// <summary>Settings, the backup secret (as text and as file bytes) and the dev secret file share one hex rule.</summary>
public sealed class HexTextTests
{
    [Theory]
    [InlineData("00ff", null, true)]
    [InlineData("00FFaB", 3, true)]
    [InlineData("00ff", 3, false)]
    [InlineData("", null, false)]
    [InlineData("0", null, false)]
    [InlineData("0x00", null, false)]
    [InlineData("00 ff", null, false)]
    [InlineData("00fg", null, false)]
    [InlineData("٠٠", null, false)] // Arabic-Indic digits are digits, not hex
    public void One_rule_for_text_and_UTF8_bytes(string text, int? bytes, bool expected)
    {
        Assert.Equal(expected, HexText.IsHex(text, bytes));
        Assert.Equal(expected, HexText.IsHex(Encoding.UTF8.GetBytes(text), bytes));
    }

    [Fact]
    public void A_backup_secret_is_exactly_32_bytes_of_it()
    {
        Assert.True(BackupMasterSecretSource.IsWellFormed(new string('a', 64)));
        Assert.False(BackupMasterSecretSource.IsWellFormed(new string('a', 62)));
        Assert.False(BackupMasterSecretSource.IsWellFormed(new string('a', 63) + "g"));
    }
}
