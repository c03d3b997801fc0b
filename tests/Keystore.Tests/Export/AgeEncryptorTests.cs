using System.Security.Cryptography;
using System.Text;
using Keystore.Export;
using Keystore.Tests.Export.Support;

namespace Keystore.Tests.Export;

/// <summary>The age files the keystore writes, opened by the real <c>age</c> binary with an <c>age-keygen</c> identity.</summary>
public class AgeEncryptorTests
{
    public static TheoryData<int> Sizes => new()
    {
        0, 1, 15, 16, 17, 300, AgeEncryptor.ChunkSize - 1, AgeEncryptor.ChunkSize, AgeEncryptor.ChunkSize + 1,
        2 * AgeEncryptor.ChunkSize, 2 * AgeEncryptor.ChunkSize + 17, 3 * AgeEncryptor.ChunkSize + 1,
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task The_age_binary_decrypts_binary_and_armored_files_of_every_size_to_the_same_bytes(int size)
    {
        using AgeCli age = await AgeCli.KeygenAsync();
        byte[] plaintext = RandomNumberGenerator.GetBytes(size);
        AgeRecipient recipient = AgeRecipient.Parse(age.Recipient);

        AgeRun binary = await age.DecryptAsync(AgeEncryptor.Encrypt(recipient, plaintext));
        Assert.True(binary.ExitCode == 0, binary.StdErr);
        Assert.Equal(plaintext, binary.StdOut);

        string armored = AgeEncryptor.EncryptArmored(recipient, plaintext);
        Assert.StartsWith(AgeArmor.Begin + "\n", armored, StringComparison.Ordinal);
        Assert.EndsWith(AgeArmor.End + "\n", armored, StringComparison.Ordinal);
        AgeRun fromArmor = await age.DecryptAsync(Encoding.ASCII.GetBytes(armored));
        Assert.True(fromArmor.ExitCode == 0, fromArmor.StdErr);
        Assert.Equal(plaintext, fromArmor.StdOut);
    }

    [Fact]
    public void The_file_is_the_header_the_spec_describes_and_its_size_counts_one_tag_per_64_KiB_chunk()
    {
        AgeRecipient recipient = AgeRecipient.Parse("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj");
        foreach ((int size, int chunks) in new[] { (0, 1), (AgeEncryptor.ChunkSize, 1), (AgeEncryptor.ChunkSize + 1, 2) })
        {
            byte[] file = AgeEncryptor.Encrypt(recipient, new byte[size]);
            string text = Encoding.ASCII.GetString(file);
            int headerEnd = text.IndexOf("\n---", StringComparison.Ordinal);
            string[] lines = text[..text.IndexOf('\n', headerEnd + 1)].Split('\n');
            Assert.Equal("age-encryption.org/v1", lines[0]);
            Assert.Matches("^-> X25519 [A-Za-z0-9+/]{43}$", lines[1]);
            Assert.Matches("^[A-Za-z0-9+/]{43}$", lines[2]);
            Assert.Matches("^--- [A-Za-z0-9+/]{43}$", lines[3]);
            int headerLength = lines.Sum(l => l.Length + 1);
            Assert.Equal(headerLength + 16 + size + 16 * chunks, file.Length);
        }
    }

    [Fact]
    public void Two_encryptions_of_the_same_text_share_no_ephemeral_share_file_key_or_nonce()
    {
        AgeRecipient recipient = AgeRecipient.Parse("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj");
        byte[] plaintext = Encoding.ASCII.GetBytes("abandon abandon about");
        byte[] first = AgeEncryptor.Encrypt(recipient, plaintext), second = AgeEncryptor.Encrypt(recipient, plaintext);
        Assert.Equal(first.Length, second.Length);
        string a = Encoding.ASCII.GetString(first), b = Encoding.ASCII.GetString(second);
        Assert.NotEqual(a.Split('\n')[1], b.Split('\n')[1]);
        Assert.NotEqual(first[^(plaintext.Length + 32)..], second[^(plaintext.Length + 32)..]);
    }

    [Fact]
    public async Task A_tampered_file_and_another_identity_are_refused_by_age()
    {
        using AgeCli age = await AgeCli.KeygenAsync();
        using AgeCli stranger = await AgeCli.KeygenAsync();
        byte[] plaintext = Encoding.ASCII.GetBytes("the plaintext of this test");
        byte[] file = AgeEncryptor.Encrypt(AgeRecipient.Parse(age.Recipient), plaintext);

        AgeRun other = await stranger.DecryptAsync(file);
        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains("no identity matched", other.StdErr, StringComparison.OrdinalIgnoreCase);

        foreach (int position in new[] { file.Length - 1, file.Length - plaintext.Length - 20, Encoding.ASCII.GetString(file).IndexOf("---", StringComparison.Ordinal) + 6 })
        {
            byte[] tampered = (byte[])file.Clone();
            tampered[position] ^= 0x01;
            AgeRun run = await age.DecryptAsync(tampered);
            Assert.NotEqual(0, run.ExitCode);
            Assert.Empty(run.StdOut);
        }
    }
}
