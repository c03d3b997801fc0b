using System.Text.Json.Nodes;
using Keystore.Export;
using Keystore.Tests.Export.Support;

namespace Keystore.Tests.Export;

/// <summary>
/// The strict recipient parser: what age-keygen makes is accepted and written back identically; everything
/// else is refused with a reason. Malformed recipients are encoded by @scure/base, not by the parser's own encoder.
/// </summary>
public class AgeRecipientTests
{
    private const string SpecRecipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"; // C2SP age.md

    /// <summary>
    /// Curve25519 points of order 1, 2, 4 and 8 and their non-canonical encodings (the list libsodium refuses,
    /// from "May the Fourth Be With You" / the X25519 literature), little-endian, plus high-bit variants X25519 ignores.
    /// </summary>
    private static readonly string[] LowOrderPoints =
    [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
    ];

    private static async Task<string[]> EncodeAsync(params (string Hrp, string Hex)[] items)
    {
        JsonNode result = await NodeOracle.RunAsync("age-recipients.mjs", new JsonObject
        {
            ["items"] = new JsonArray(items.Select(i => (JsonNode)new JsonObject { ["hrp"] = i.Hrp, ["hex"] = i.Hex }).ToArray()),
        });
        return result["encoded"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
    }

    private static string Refusal(string text) => Assert.Throws<AgeRecipientException>(() => AgeRecipient.Parse(text)).Message;

    [Fact]
    public async Task Recipients_from_age_keygen_parse_and_print_back_unchanged()
    {
        for (int i = 0; i < 3; i++)
        {
            using AgeCli age = await AgeCli.KeygenAsync();
            Assert.Equal(age.Recipient, AgeRecipient.Parse(age.Recipient).ToString());
        }
        Assert.Equal(SpecRecipient, AgeRecipient.Parse(SpecRecipient).ToString());
    }

    [Fact]
    public async Task Every_low_order_point_is_refused_in_every_encoding()
    {
        string[] encoded = await EncodeAsync(LowOrderPoints.Select(p => ("age", p)).ToArray());
        foreach (string recipient in encoded)
            Assert.Contains("low-order point", Refusal(recipient));
        // The same check passes an ordinary key: the curve's base point (9) has prime order.
        string basePoint = (await EncodeAsync(("age", "09" + new string('0', 62))))[0];
        Assert.Equal(basePoint, AgeRecipient.Parse(basePoint).ToString());
    }

    [Fact]
    public async Task Wrong_prefixes_and_lengths_are_refused_with_their_reason()
    {
        string key = "2b" + new string('7', 62);
        string[] encoded = await EncodeAsync(("agf", key), ("age1pq", key), ("bc", key), ("age", key[..62]), ("age", key + "00"), ("age", ""));
        Assert.Contains("prefix is 'agf'", Refusal(encoded[0]));
        Assert.Contains("Only age X25519 recipients", Refusal(encoded[1]));
        Assert.Contains("prefix is 'bc'", Refusal(encoded[2]));
        Assert.Contains("32 bytes, this one 31", Refusal(encoded[3]));
        Assert.Contains("32 bytes, this one 33", Refusal(encoded[4]));
        Assert.Contains("32 bytes, this one 0", Refusal(encoded[5]));
    }

    [Fact]
    public void Checksum_case_alphabet_and_shape_errors_are_refused_with_their_reason()
    {
        // Every single-character substitution in the data or checksum breaks the checksum (BIP173 detects up to 4 errors).
        for (int i = 4; i < SpecRecipient.Length; i++)
        {
            char replacement = SpecRecipient[i] == 'q' ? 'p' : 'q';
            string changed = SpecRecipient[..i] + replacement + SpecRecipient[(i + 1)..];
            Assert.Contains("checksum does not match", Refusal(changed));
        }
        Assert.Contains("checksum does not match", Refusal(SpecRecipient[..^1]));
        Assert.Contains("checksum does not match", Refusal(SpecRecipient[..20] + SpecRecipient[21..]));
        Assert.Contains("lower case", Refusal(SpecRecipient.ToUpperInvariant()));
        Assert.Contains("mixes upper and lower case", Refusal("Age" + SpecRecipient[3..]));
        Assert.Contains("mixes upper and lower case", Refusal(SpecRecipient[..10] + char.ToUpperInvariant(SpecRecipient[10]) + SpecRecipient[11..]));
        Assert.Contains("not in the Bech32 alphabet", Refusal(SpecRecipient[..10] + "b" + SpecRecipient[11..]));
        Assert.Contains("printable ASCII", Refusal(" " + SpecRecipient));
        Assert.Contains("printable ASCII", Refusal(SpecRecipient + "\n"));
        Assert.Contains("printable ASCII", Refusal(SpecRecipient[..10] + "é" + SpecRecipient[11..]));
        Assert.Contains("Not Bech32", Refusal("age"));
        Assert.Contains("Not Bech32", Refusal("1qqqqqqq"));
        Assert.Contains("Not Bech32", Refusal("age1qqqqq"));
        Assert.Contains("is required", Refusal(""));
        Assert.Contains("at most 200 characters", Refusal("age1" + new string('q', 500)));
        Assert.Contains("is required", Assert.Throws<AgeRecipientException>(() => AgeRecipient.Parse(null)).Message);
    }

    [Fact]
    public async Task An_age_secret_key_pasted_as_recipient_is_refused_without_echoing_it()
    {
        using AgeCli age = await AgeCli.KeygenAsync();
        string secret = File.ReadAllLines(age.IdentityFile).Single(l => l.StartsWith("AGE-SECRET-KEY-", StringComparison.Ordinal));
        string message = Refusal(secret);
        Assert.DoesNotContain(secret[15..], message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secret key", message);
        string lower = secret.ToLowerInvariant();
        message = Refusal(lower);
        Assert.Contains("secret key", message);
        Assert.DoesNotContain(lower[15..], message, StringComparison.Ordinal);
    }
}
