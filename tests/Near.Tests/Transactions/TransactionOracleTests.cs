using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Keystore.Near.Nep413;
using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.Near.Tests.Transactions;

/// <summary>Borsh bytes and signatures compared with near-api-js 7.3.1 (tests/oracles/near-tx.mjs).</summary>
public class TransactionOracleTests
{
    private const string Secret = "ed25519:2wyRcSwSuHtRVmkMCGjPwnzZmQLeXLzLLyED1NDMt4BjnKgQL6tF85yBx6Jr26D2dUNeC716RBoTxntVHsegogYw";
    private static readonly Ed25519PublicKey OtherKey = Ed25519PublicKey.Parse("ed25519:DcA2MzgpJbrUATQLLceocVckhhAqrkingax4oJ9kZ847");

    public static TheoryData<string> Kinds => new() { "createAccount", "deployContract", "functionCall", "transfer", "stake", "addFullAccessKey", "addFunctionCallAccessKey", "addFunctionCallAccessKeyAllowance", "deleteKey", "deleteAccount", "all" };

    private static (List<NearAction> ours, List<object> theirs) Build(string kind)
    {
        var ours = new List<NearAction>();
        var theirs = new List<object>();
        void Add(string k)
        {
            switch (k)
            {
                case "createAccount": ours.Add(new CreateAccountAction()); theirs.Add(new { kind = k }); break;
                case "deployContract":
                    var code = new byte[] { 0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 9, 8, 7 };
                    ours.Add(new DeployContractAction(code)); theirs.Add(new { kind = k, code = Convert.ToBase64String(code) }); break;
                case "functionCall":
                    var args = """{"request":{"derivation_path":"keystore","domain_id":2}}"""u8.ToArray();
                    ours.Add(new FunctionCallAction("request_master_secret", args, 300_000_000_000_000, UInt128.Parse("1000000000000000000000001")));
                    theirs.Add(new { kind = k, methodName = "request_master_secret", args = Convert.ToBase64String(args), gas = "300000000000000", deposit = "1000000000000000000000001" }); break;
                case "transfer":
                    ours.Add(new TransferAction(UInt128.MaxValue)); theirs.Add(new { kind = k, deposit = UInt128.MaxValue.ToString() }); break;
                case "stake":
                    ours.Add(new StakeAction(12345, OtherKey)); theirs.Add(new { kind = k, stake = "12345", publicKey = OtherKey.ToString() }); break;
                case "addFullAccessKey":
                    ours.Add(new AddKeyAction(OtherKey, AccessKey.FullAccess())); theirs.Add(new { kind = k, publicKey = OtherKey.ToString() }); break;
                case "addFunctionCallAccessKey":
                    ours.Add(new AddKeyAction(OtherKey, AccessKey.FunctionCall("tee-dao.near", ["request_master_secret", "ping"])));
                    theirs.Add(new { kind = k, publicKey = OtherKey.ToString(), receiverId = "tee-dao.near", methodNames = new[] { "request_master_secret", "ping" }, allowance = (string?)null }); break;
                case "addFunctionCallAccessKeyAllowance":
                    ours.Add(new AddKeyAction(OtherKey, AccessKey.FunctionCall("tee-dao.near", [], UInt128.Parse("250000000000000000000000"))));
                    theirs.Add(new { kind = "addFunctionCallAccessKey", publicKey = OtherKey.ToString(), receiverId = "tee-dao.near", methodNames = Array.Empty<string>(), allowance = "250000000000000000000000" }); break;
                case "deleteKey":
                    ours.Add(new DeleteKeyAction(OtherKey)); theirs.Add(new { kind = k, publicKey = OtherKey.ToString() }); break;
                case "deleteAccount":
                    ours.Add(new DeleteAccountAction("beneficiary.near")); theirs.Add(new { kind = k, beneficiaryId = "beneficiary.near" }); break;
            }
        }
        if (kind == "all") foreach (var k in new[] { "createAccount", "deployContract", "functionCall", "transfer", "stake", "addFullAccessKey", "addFunctionCallAccessKey", "addFunctionCallAccessKeyAllowance", "deleteKey", "deleteAccount" }) Add(k);
        else Add(kind);
        return (ours, theirs);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Matches_near_api_js(string kind)
    {
        using var key = Ed25519KeyPair.ParseSecretKey(Secret);
        var (ours, theirs) = Build(kind);
        var blockHash = Enumerable.Range(1, 32).Select(i => (byte)(i * 5)).ToArray();
        var tx = new Transaction("worker.tee-dao.near", key.PublicKey, 123456789012345, "tee-dao.near", blockHash, ours);
        var signed = tx.Sign(key);

        var result = NodeOracle.Run("near-tx.mjs", new
        {
            secretKey = Secret,
            signerId = tx.SignerId,
            receiverId = tx.ReceiverId,
            nonce = tx.Nonce.ToString(),
            blockHash = Base58.Encode(blockHash),
            actions = theirs,
            csharpSignedTx = signed.ToBase64(),
        });

        Assert.Equal((string)result["tx"]!, Convert.ToBase64String(tx.ToBorsh()));
        // ed25519 is deterministic, so near-api-js's signed transaction must be byte-identical.
        Assert.Equal((string)result["signedTx"]!, signed.ToBase64());
        Assert.Equal((string)result["hash"]!, signed.HashBase58);
        Assert.True((bool)result["csharpSignatureValid"]!);

        // Decoding gives back the same values.
        Assert.Equal(signed, SignedTransaction.FromBorsh(signed.ToBorsh()));
        Assert.True(SignedTransaction.FromBorsh(signed.ToBorsh()).VerifySignature());
    }

    [Fact]
    public void Decoding_rejects_truncated_and_trailing_bytes()
    {
        using var key = Ed25519KeyPair.Generate();
        var tx = new Transaction("a.near", key.PublicKey, 1, "b.near", new byte[32], [new TransferAction(5)]);
        var bytes = tx.Sign(key).ToBorsh();
        Assert.Throws<FormatException>(() => SignedTransaction.FromBorsh(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<FormatException>(() => SignedTransaction.FromBorsh(bytes.Concat(new byte[] { 0 }).ToArray()));
        var bad = (byte[])bytes.Clone();
        bad[bytes.Length - 65 - 17] = 42; // the action tag
        Assert.Throws<FormatException>(() => SignedTransaction.FromBorsh(bad));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://example.com/cb")]
    public void Nep413_hash_matches_near_api_js_signer(string? callbackUrl)
    {
        using var key = Ed25519KeyPair.ParseSecretKey(Secret);
        var nonce = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();
        var payload = new Nep413Payload("Sign in to keystore ✓", nonce, "keystore.near", callbackUrl);
        var result = NodeOracle.Run("near-nep413.mjs", new
        {
            secretKey = Secret, accountId = "alice.near", message = payload.Message, recipient = payload.Recipient,
            nonce = Convert.ToBase64String(nonce), callbackUrl,
        });
        var theirSignature = Convert.FromBase64String((string)result["signature"]!);
        Assert.Equal(theirSignature, key.Sign(payload.Hash()));
        Assert.True(payload.Verify(key.PublicKey, theirSignature));
        Assert.False(new Nep413Payload("other", nonce, "keystore.near", callbackUrl).Verify(key.PublicKey, theirSignature));
        // Both hash entry points against SHA-256 of the NEP-413 borsh built here by hand, not by the code under test.
        byte[] independent = System.Security.Cryptography.SHA256.HashData(Nep413BorshByHand(payload.Message, nonce, payload.Recipient, callbackUrl));
        Assert.Equal(independent, payload.Hash());
        Assert.Equal(independent, Nep413Payload.Hash(payload.Message, nonce, payload.Recipient, callbackUrl));
    }

    /// <summary>NEP-413: u32 LE tag 2^31 + 413, then borsh message, [u8; 32] nonce, recipient, Option&lt;string&gt; callbackUrl.</summary>
    private static byte[] Nep413BorshByHand(string message, byte[] nonce, string recipient, string? callbackUrl)
    {
        var bytes = new List<byte> { 0x9d, 0x01, 0x00, 0x80 };
        void Str(string s)
        {
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(s);
            var length = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
            bytes.AddRange(length);
            bytes.AddRange(utf8);
        }
        Str(message);
        bytes.AddRange(nonce);
        Str(recipient);
        if (callbackUrl is null) bytes.Add(0);
        else { bytes.Add(1); Str(callbackUrl); }
        return [.. bytes];
    }

    [Fact]
    public void Nep413_borsh_layout_is_tag_then_fields()
    {
        var bytes = new Nep413Payload("m", new byte[32], "r").ToBorsh();
        Assert.Equal(new byte[] { 0x9d, 0x01, 0x00, 0x80 }, bytes[..4]);
        Assert.Equal(4 + 4 + 1 + 32 + 4 + 1 + 1, bytes.Length);
        Assert.Equal(0, bytes[^1]);
    }
}
