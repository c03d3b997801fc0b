using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static Keystore.Chains.Tests.TestSupport;

namespace Keystore.Chains.Tests;

public class Base58Tests
{
    /// <summary>The test vectors of draft-msporny-base58-03, section 5 (the Base58 encoding scheme, Bitcoin's alphabet).</summary>
    public static TheoryData<string, string> DraftVectors() => new()
    {
        { Convert.ToHexString(Encoding.ASCII.GetBytes("Hello World!")), "2NEpo7TZRRrLZSi2U" },
        { Convert.ToHexString(Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog.")), "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z" },
        { "0000287FB4CD", "11233QC4" },
    };

    [Theory]
    [MemberData(nameof(DraftVectors))]
    public void The_draft_msporny_base58_vectors_encode_and_decode(string hex, string text)
    {
        Assert.Equal(text, Base58.Encode(Hex(hex)));
        Assert.Equal(hex, Convert.ToHexString(Base58.Decode(text)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("O")]
    [InlineData("I")]
    [InlineData("l")]
    [InlineData("2NEpo7TZRRrLZSi2U+")]
    [InlineData("2NEpo7TZRRrLZSi2U\u00e9")]
    [InlineData(" 2NEpo7TZRRrLZSi2U")]
    public void Text_outside_the_alphabet_is_not_base58(string text)
    {
        Assert.False(Base58.TryDecode(text, out byte[] bytes));
        Assert.Empty(bytes);
        Assert.Throws<FormatException>(() => Base58.Decode(text));
    }

    [Fact]
    public void Nothing_and_zeros_are_ones()
    {
        Assert.Equal("", Base58.Encode([]));
        Assert.Equal("111", Base58.Encode(new byte[3]));
        Assert.Equal(new byte[3], Base58.Decode("111"));
        Assert.False(Base58.TryDecode(null, out _));
    }

    /// <summary>Random byte strings (with leading zeros, up to 200 bytes past the stack buffer) and random texts, against bs58 from npm.</summary>
    [Fact]
    public void Encodes_and_decodes_like_bs58()
    {
        var inputs = new List<byte[]>();
        for (int i = 0; i < 200; i++)
        {
            var bytes = RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(0, 260));
            int zeros = Math.Min(bytes.Length, RandomNumberGenerator.GetInt32(0, 4));
            bytes.AsSpan(0, zeros).Clear();
            inputs.Add(bytes);
        }
        inputs.Add(Enumerable.Repeat((byte)0xff, 64).ToArray());
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl+";
        var texts = Enumerable.Range(0, 100)
            .Select(_ => RandomNumberGenerator.GetString(alphabet, RandomNumberGenerator.GetInt32(0, 120)))
            .ToList();

        var answer = NodeOracle.Run("chains-base58.mjs", new JsonObject
        {
            ["encode"] = new JsonArray(inputs.Select(b => (JsonNode)Convert.ToHexString(b)).ToArray()),
            ["decode"] = new JsonArray(texts.Select(t => (JsonNode)t).ToArray()),
        });

        var encoded = answer["encoded"]!.AsArray();
        for (int i = 0; i < inputs.Count; i++)
        {
            Assert.Equal((string)encoded[i]!, Base58.Encode(inputs[i]));
            Assert.Equal(inputs[i], Base58.Decode((string)encoded[i]!));
        }
        var decoded = answer["decoded"]!.AsArray();
        int invalid = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            bool ok = Base58.TryDecode(texts[i], out byte[] bytes);
            if (decoded[i] is null)
            {
                invalid++;
                Assert.False(ok, texts[i]);
            }
            else Assert.Equal(((string)decoded[i]!).ToUpperInvariant(), Convert.ToHexString(bytes));
        }
        // Both kinds were exercised: texts bs58 refuses and texts it reads.
        Assert.InRange(invalid, 1, texts.Count - 1);
    }
}
