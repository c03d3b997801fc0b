using System.Text;
using System.Text.Json;
using Keystore.Derivation.BIP39;
using Keystore.Tests.Support;

namespace Keystore.Tests.Derivation;

public class Bip39Tests
{
    public static IEnumerable<object[]> Vectors()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.Vector("bip39-vectors.json")));
        foreach (JsonElement v in doc.RootElement.GetProperty("english").EnumerateArray())
            yield return [v[0].GetString()!, v[1].GetString()!, v[2].GetString()!];
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Mnemonic_and_seed_match_the_reference_vectors(string entropyHex, string mnemonic, string seedHex)
    {
        byte[] entropy = Convert.FromHexString(entropyHex);
        Assert.Equal(mnemonic, Bip39Text.ToMnemonic(entropy));

        byte[] seed = new byte[64];
        Bip39.DeriveSeed(Encoding.UTF8.GetBytes(mnemonic), "TREZOR"u8, seed);
        Assert.Equal(seedHex, Convert.ToHexStringLower(seed));
    }

    [Fact]
    public void The_vectors_are_all_there() => Assert.Equal(24, Vectors().Count());

    [Theory]
    [InlineData(15)]
    [InlineData(33)]
    [InlineData(18)]
    public void Entropy_of_a_wrong_length_is_refused(int length) =>
        Assert.Throws<ArgumentException>(() => Bip39Text.ToMnemonic(new byte[length]));
}
