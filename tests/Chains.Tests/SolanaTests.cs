using Keystore.Chains.Solana;
using Keystore.Near.Encoding;
using static Keystore.Chains.Tests.TestSupport;

namespace Keystore.Chains.Tests;

public class SolanaTests
{
    private const string Rfc8032Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static readonly SolanaSigner Signer = new();

    /// <summary>RFC 8032 section 7.1, TEST 1 (empty message), through the signer's signing path.</summary>
    [Fact]
    public void Rfc8032_test1()
    {
        using var key = Keys.Ed25519Key(Rfc8032Seed);
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", ToHex(key.PublicKey));
        var signature = new byte[64];
        SolanaSigner.SignBytes(key, [], signature);
        Assert.Equal("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", ToHex(signature));
    }

    [Fact]
    public void A_cloned_ed25519_key_signs_like_the_original_and_a_disposed_one_refuses()
    {
        using var key = Keys.Ed25519Key(Rfc8032Seed);
        var clone = key.Clone();
        var signature = new byte[64];
        SolanaSigner.SignBytes(clone, [], signature);
        Assert.Equal("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", ToHex(signature));
        clone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => SolanaSigner.SignBytes(clone, [], signature));
        Assert.Throws<ArgumentException>(() => SolanaSigner.SignBytes(Keys.Secp256k1Key("0000000000000000000000000000000000000000000000000000000000000003"), [], signature));
    }

    [Fact]
    public void Describe_and_path()
    {
        using var key = Keys.Ed25519Key(Rfc8032Seed);
        var described = Signer.Describe(key.PublicKey);
        Assert.Equal(Base58.Encode(key.PublicKey), described.Address);
        Assert.Equal("ed25519:" + described.Address, described.PublicKey);
        Assert.Equal("m/44'/501'/5'/0'", Signer.DerivationPath(5).ToString());
    }

    /// <summary>A legacy transfer message: header, 3 keys (payer, recipient, system program), blockhash, one instruction.</summary>
    internal static byte[] LegacyMessage(byte[] payer, byte[]? secondSigner = null)
    {
        var recipient = Enumerable.Repeat((byte)7, 32).ToArray();
        var system = new byte[32];
        var keys = secondSigner is null ? new[] { payer, recipient, system } : [payer, secondSigner, recipient, system];
        int required = secondSigner is null ? 1 : 2;
        var m = new List<byte> { (byte)required, 0, 1, (byte)keys.Length };
        foreach (var k in keys) m.AddRange(k);
        m.AddRange(Enumerable.Repeat((byte)9, 32)); // recent blockhash
        m.Add(1); // one instruction
        m.Add((byte)(keys.Length - 1)); // program: system
        m.AddRange(new byte[] { 2, 0, (byte)(keys.Length - 2) });
        m.AddRange(new byte[] { 12, 2, 0, 0, 0, 0xe8, 0x03, 0, 0, 0, 0, 0, 0 }); // transfer 1000 lamports
        return [.. m];
    }

    [Fact]
    public void Signs_a_message_it_is_a_signer_of()
    {
        using var key = Keys.Ed25519Key(Rfc8032Seed);
        var message = LegacyMessage(key.PublicKey.ToArray());
        var result = Signer.Sign(key, Keys.Json($$"""{"message": "{{Convert.ToBase64String(message)}}"}"""));
        var signature = Base58.Decode((string)result["signature"]!);
        var algorithm = NSec.Cryptography.SignatureAlgorithm.Ed25519;
        var pub = NSec.Cryptography.PublicKey.Import(algorithm, key.PublicKey, NSec.Cryptography.KeyBlobFormat.RawPublicKey);
        Assert.True(algorithm.Verify(pub, message, signature));
    }

    [Fact]
    public void Fills_its_own_slot_in_a_transaction()
    {
        using var key = Keys.Ed25519Key(Rfc8032Seed);
        var payer = Enumerable.Repeat((byte)3, 32).ToArray();
        var message = LegacyMessage(payer, key.PublicKey.ToArray());
        var payerSignature = Enumerable.Repeat((byte)0xaa, 64).ToArray();
        byte[] wire = [2, .. payerSignature, .. new byte[64], .. message];
        var result = Signer.Sign(key, Keys.Json($$"""{"transaction": "{{Convert.ToBase64String(wire)}}"}"""));
        var signed = Convert.FromBase64String((string)result["signedTransaction"]!);
        Assert.Equal(wire.Length, signed.Length);
        Assert.Equal(payerSignature, signed[1..65]);
        Assert.Equal(Base58.Decode((string)result["signature"]!), signed[65..129]);
        Assert.Equal(message, signed[129..]);
    }

    public static TheoryData<string, string> Rejections()
    {
        var other = Enumerable.Repeat((byte)5, 32).ToArray();
        var notOurs = LegacyMessage(other);
        var ours = LegacyMessage(Hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        var truncated = ours[..^3];
        byte[] trailing = [.. ours, 0];
        byte[] v1 = [0x81, .. ours];
        byte[] badProgramIndex = (byte[])ours.Clone();
        badProgramIndex[4 + 3 * 32 + 32 + 1] = 9;
        byte[] tooFewSlots = [0, .. ours];
        byte[] nonMinimalCount = [0x81, 0x00, .. new byte[64], .. ours];
        return new TheoryData<string, string>
        {
            { $$"""{"message": "{{Convert.ToBase64String(notOurs)}}"}""", "not-a-signer" },
            { $$"""{"transaction": "{{Convert.ToBase64String([1, .. new byte[64], .. notOurs])}}"}""", "not-a-signer" },
            { """{"message": "not base64!"}""", "invalid-message" },
            { """{"message": 12}""", "invalid-message" },
            { """{"message": ""}""", "invalid-message" },
            { $$"""{"message": "{{Convert.ToBase64String(truncated)}}"}""", "invalid-message" },
            { $$"""{"message": "{{Convert.ToBase64String(trailing)}}"}""", "invalid-message" },
            { $$"""{"message": "{{Convert.ToBase64String(v1)}}"}""", "invalid-message" },
            { $$"""{"message": "{{Convert.ToBase64String(badProgramIndex)}}"}""", "invalid-message" },
            { """{"transaction": "%%%"}""", "invalid-transaction" },
            { $$"""{"transaction": "{{Convert.ToBase64String(tooFewSlots)}}"}""", "invalid-transaction" },
            { $$"""{"transaction": "{{Convert.ToBase64String([1, .. new byte[10]])}}"}""", "invalid-transaction" },
            { $$"""{"transaction": "{{Convert.ToBase64String(nonMinimalCount)}}"}""", "invalid-transaction" },
            { $$"""{"message": "{{Convert.ToBase64String(ours)}}", "transaction": "{{Convert.ToBase64String(ours)}}"}""", "invalid-request" },
        };
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Rejects_bad_requests(string request, string problem)
    {
        using var key = Keys.Ed25519Key(Rfc8032Seed);
        var ex = Assert.Throws<ChainRequestException>(() => Signer.Sign(key, Keys.Json(request)));
        Assert.Equal(problem, ex.Slug());
    }

    [Fact]
    public void Parses_a_v0_message_with_lookups()
    {
        var payer = Enumerable.Repeat((byte)3, 32).ToArray();
        var program = Enumerable.Repeat((byte)4, 32).ToArray();
        var m = new List<byte> { 0x80, 1, 0, 1, 2 };
        m.AddRange(payer);
        m.AddRange(program);
        m.AddRange(new byte[32]);
        m.AddRange(new byte[] { 1, 1, 2, 0, 2, 1, 0xff }); // instruction: program 1, accounts [0, 2 (looked up)], data [ff]
        m.Add(1); // one lookup table
        m.AddRange(Enumerable.Repeat((byte)8, 32));
        m.AddRange(new byte[] { 1, 5, 0 }); // one writable index, no read-only
        var parsed = SolanaMessage.Parse([.. m], ChainError.InvalidMessage);
        Assert.Equal(0, parsed.Version);
        Assert.Equal(1, parsed.AddressTableLookupCount);
        Assert.Equal(0, parsed.SignerIndex(payer));
        Assert.Equal(-1, parsed.SignerIndex(program));
        m[^2] = 0; m[^3] = 0; // table loading nothing is invalid
        m.RemoveAt(m.Count - 3);
        Assert.Throws<ChainRequestException>(() => SolanaMessage.Parse([.. m], ChainError.InvalidMessage));
    }
}
