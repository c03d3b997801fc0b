using Keystore.Chains.Solana;
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
        var signature = Signer.SignMessage(key, SolanaMessage.Parse(message, ChainError.InvalidMessage));
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
        var signed = Signer.SignTransaction(key, SolanaTransaction.Parse(wire, ChainError.InvalidTransaction));
        Assert.Equal(wire.Length, signed.WireTransaction.Length);
        Assert.Equal(payerSignature, signed.WireTransaction[1..65]);
        Assert.Equal(signed.Signature, signed.WireTransaction[65..129]);
        Assert.Equal(message, signed.WireTransaction[129..]);
    }

    [Fact]
    public void A_key_that_is_not_a_required_signer_signs_nothing()
    {
        using var key = Keys.Ed25519Key(Rfc8032Seed);
        var notOurs = LegacyMessage(Enumerable.Repeat((byte)5, 32).ToArray());
        var ex = Assert.Throws<ChainRequestException>(() => Signer.SignMessage(key, SolanaMessage.Parse(notOurs, ChainError.InvalidMessage)));
        Assert.Equal(ChainError.NotASigner, ex.Error);
        ex = Assert.Throws<ChainRequestException>(() => Signer.SignTransaction(key, SolanaTransaction.Parse([1, .. new byte[64], .. notOurs], ChainError.InvalidTransaction)));
        Assert.Equal(ChainError.NotASigner, ex.Error);
        // A key named among the accounts but not among the required signers is not a signer either.
        byte[] readOnlyAccount = LegacyMessage(Enumerable.Repeat((byte)5, 32).ToArray());
        key.PublicKey.CopyTo(readOnlyAccount.AsSpan(4 + 32));
        ex = Assert.Throws<ChainRequestException>(() => Signer.SignMessage(key, SolanaMessage.Parse(readOnlyAccount, ChainError.InvalidMessage)));
        Assert.Equal(ChainError.NotASigner, ex.Error);
    }

    public static TheoryData<byte[], string> MalformedMessages()
    {
        var ours = LegacyMessage(Hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        byte[] badProgramIndex = (byte[])ours.Clone();
        badProgramIndex[4 + 3 * 32 + 32 + 1] = 9;
        byte[] duplicateKey = (byte[])ours.Clone();
        ours.AsSpan(4, 32).CopyTo(duplicateKey.AsSpan(4 + 32));
        byte[] feePayerReadOnly = (byte[])ours.Clone();
        feePayerReadOnly[1] = 1;
        byte[] hugeInstructionCount = [.. ours[..(4 + 3 * 32 + 32)], 0xff, 0xff, 0x03];
        return new TheoryData<byte[], string>
        {
            { [], "empty" },
            { ours[..^3], "truncated instruction data" },
            { [.. ours, 0], "trailing bytes" },
            { [0x81, .. ours], "version 1 is not supported" },
            { badProgramIndex, "program id index out of range" },
            { duplicateKey, "duplicate account key" },
            { feePayerReadOnly, "no writable fee payer" },
            { hugeInstructionCount, "truncated instruction" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedMessages))]
    public void Malformed_messages_are_refused_with_the_reason(byte[] message, string reason)
    {
        var ex = Assert.Throws<ChainRequestException>(() => SolanaMessage.Parse(message, ChainError.InvalidMessage));
        Assert.Equal(ChainError.InvalidMessage, ex.Error);
        Assert.Contains(reason, ex.Message);
    }

    public static TheoryData<byte[]> MalformedTransactions()
    {
        var ours = LegacyMessage(Hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        return new TheoryData<byte[]>
        {
            { [0, .. ours] },                                  // fewer slots than required signers
            { [1, .. new byte[10]] },                          // truncated signatures
            { [0x81, 0x00, .. new byte[64], .. ours] },        // non-minimal signature count
            { [2, .. new byte[128], .. ours] },                // more slots than required signers
        };
    }

    [Theory]
    [MemberData(nameof(MalformedTransactions))]
    public void Malformed_transactions_are_refused_as_transactions(byte[] wire)
    {
        var ex = Assert.Throws<ChainRequestException>(() => SolanaTransaction.Parse(wire, ChainError.InvalidTransaction));
        Assert.Equal(ChainError.InvalidTransaction, ex.Error);
    }

    [Fact]
    public void A_parsed_transaction_is_a_copy_the_caller_cannot_change()
    {
        using var key = Keys.Ed25519Key(Rfc8032Seed);
        var message = LegacyMessage(key.PublicKey.ToArray());
        byte[] wire = [1, .. new byte[64], .. message];
        var transaction = SolanaTransaction.Parse(wire, ChainError.InvalidTransaction);
        wire.AsSpan().Fill(0x55);
        var signed = Signer.SignTransaction(key, transaction);
        Assert.Equal(message, signed.WireTransaction[65..]);
        Assert.Equal(message, transaction.MessageBytes.ToArray());
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
