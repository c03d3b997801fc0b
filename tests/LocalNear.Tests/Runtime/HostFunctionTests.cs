using System.Buffers.Binary;
using System.Text;
using Keystore.LocalNear.Chain;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;
using Org.BouncyCastle.Crypto.Digests;
using Xunit;

namespace Keystore.LocalNear.Tests.Runtime;

public sealed class HostFunctionTests
{
    private const string M = "misc.test";

    private static ChainHarness NewChain() => new([(M, MiscHostContract.Wasm), ("alice.test", null)]);

    private static byte[] Value(FinalExecutionOutcome outcome) => Assert.IsType<FinalExecutionStatus.SuccessValue>(outcome.Status).Value;

    private static byte[] Digest(Org.BouncyCastle.Crypto.IDigest digest, byte[] input)
    {
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        return output;
    }

    [Fact]
    public async Task Hashes_match_reference_implementations()
    {
        using var h = NewChain();
        var input = Encoding.UTF8.GetBytes("The quick brown fox");
        Assert.Equal(Digest(new KeccakDigest(256), input), Value(await h.Send("alice.test", M, new FunctionCallAction("keccak", input, 10 * ChainHarness.Tgas, 0))));
        Assert.Equal(Digest(new KeccakDigest(512), input), Value(await h.Send("alice.test", M, new FunctionCallAction("keccak512", input, 10 * ChainHarness.Tgas, 0))));
        Assert.Equal(Digest(new RipeMD160Digest(), input), Value(await h.Send("alice.test", M, new FunctionCallAction("ripemd", input, 10 * ChainHarness.Tgas, 0))));
        // Pure functions also work in views.
        Assert.Equal(Digest(new KeccakDigest(256), input), h.Chain.CallFunction(M, "keccak", input).Result);
    }

    [Fact]
    public void Ed25519_verify_accepts_good_and_rejects_bad_signatures()
    {
        using var h = NewChain();
        using var key = Ed25519KeyPair.Generate();
        var message = "signed message"u8.ToArray();
        var signature = key.Sign(message);
        byte[] Args(byte[] sig, byte[] msg) => [.. sig, .. key.PublicKey.Bytes.Span, .. msg];
        Assert.Equal("1", Encoding.UTF8.GetString(h.Chain.CallFunction(M, "verify", Args(signature, message)).Result));
        Assert.Equal("0", Encoding.UTF8.GetString(h.Chain.CallFunction(M, "verify", Args(signature, "other message"u8.ToArray())).Result));
    }

    [Fact]
    public async Task Context_values_are_the_executing_block_and_call()
    {
        using var h = NewChain();
        var outcome = await h.Send("alice.test", M, new FunctionCallAction("context", [], 50 * ChainHarness.Tgas, 777));
        var v = Value(outcome);
        var block = h.Chain.GetBlock(outcome.ReceiptsOutcome[0].BlockHash)!;
        Assert.Equal(block.Height, BinaryPrimitives.ReadUInt64LittleEndian(v));
        Assert.Equal(block.TimestampNanos, BinaryPrimitives.ReadUInt64LittleEndian(v.AsSpan(8)));
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(v.AsSpan(16)));
        var account = h.Chain.ViewAccount(M);
        Assert.Equal(account.StorageUsage, BinaryPrimitives.ReadUInt64LittleEndian(v.AsSpan(24)));
        Assert.Equal(50 * ChainHarness.Tgas, BinaryPrimitives.ReadUInt64LittleEndian(v.AsSpan(32)));
        ulong used = BinaryPrimitives.ReadUInt64LittleEndian(v.AsSpan(40));
        Assert.InRange(used, 1UL, outcome.ReceiptsOutcome[0].GasBurnt);
        // The deposit is on the balance while the method runs.
        Assert.Equal(account.Amount, BinaryPrimitives.ReadUInt128LittleEndian(v.AsSpan(48)));
        Assert.Equal(ChainHarness.OneNear * 100 + 777, account.Amount);
        Assert.Equal(UInt128.Zero, BinaryPrimitives.ReadUInt128LittleEndian(v.AsSpan(64)));
        Assert.Equal((UInt128)777, BinaryPrimitives.ReadUInt128LittleEndian(v.AsSpan(80)));
    }

    [Fact]
    public async Task Weighted_function_call_receives_the_unused_gas()
    {
        using var h = NewChain();
        var outcome = await h.Call("alice.test", M, "weighted", gas: 100 * ChainHarness.Tgas);
        var v = Value(outcome);
        ulong calleePrepaid = BinaryPrimitives.ReadUInt64LittleEndian(v.AsSpan(32));
        ulong callerBurnt = outcome.ReceiptsOutcome[0].GasBurnt;
        // Everything the caller neither burnt nor spent on the new receipt's fees went to the callee.
        Assert.InRange(calleePrepaid, 90 * ChainHarness.Tgas, 100 * ChainHarness.Tgas - callerBurnt + 3 * ChainHarness.Tgas);
    }

    [Fact]
    public async Task Random_seed_is_32_bytes_and_differs_between_receipts()
    {
        using var h = NewChain();
        var a = Value(await h.Call("alice.test", M, "seed"));
        var b = Value(await h.Call("alice.test", M, "seed"));
        Assert.Equal(32, a.Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Logs_read_nul_terminated_utf8_and_utf16()
    {
        using var h = NewChain();
        var outcome = await h.Call("alice.test", M, "logs");
        Assert.Equal(["nul-terminated", "hé!", "hé!"], outcome.ReceiptsOutcome[0].Logs);
    }

    [Fact]
    public async Task Panic_and_assemblyscript_abort_have_nearcore_messages()
    {
        using var h = NewChain();
        Assert.Equal("Smart contract panicked: explicit guest panic", OutcomeAssert.ExecutionError(await h.Call("alice.test", M, "bare_panic")));
        Assert.Equal("Smart contract panicked: ok, filename: \"a.ts\" line: 12 col: 3", OutcomeAssert.ExecutionError(await h.Call("alice.test", M, "as_abort")));
    }

    [Fact]
    public async Task A_contract_adds_a_key_to_itself_with_the_runtime_nonce()
    {
        using var h = NewChain();
        using var key = Ed25519KeyPair.Generate();
        var outcome = await h.Send("alice.test", M, new FunctionCallAction("add_own_key", [0, .. key.PublicKey.Bytes.Span], 30 * ChainHarness.Tgas, 0));
        Assert.Equal(2, outcome.ReceiptsOutcome.Count);
        var added = h.Chain.ViewAccessKey(M, key.PublicKey);
        Assert.IsType<FullAccessPermission>(added.Permission);
        // The nonce argument is ignored, as on nearcore: (height - 1) × 10^6 of the block executing the add.
        var height = h.Chain.GetBlock(outcome.ReceiptsOutcome[1].BlockHash)!.Height;
        Assert.Equal((height - 1) * 1_000_000, added.Nonce);

        var invalid = await h.Send("alice.test", M, new FunctionCallAction("add_own_key", [1, 2, 3], 30 * ChainHarness.Tgas, 0));
        Assert.Equal("VM Logic provided an invalid public key", OutcomeAssert.ExecutionError(invalid));
    }
}
