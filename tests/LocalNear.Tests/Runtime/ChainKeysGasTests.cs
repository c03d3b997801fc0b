using System.Text;
using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Transactions;
using Xunit;
using Xunit.Abstractions;

namespace Keystore.LocalNear.Tests.Runtime;

/// <summary>
/// chain-keys (contracts/out/chain_keys.wasm) on the local chain, with a native stand-in for the DAO that vouches
/// for every signer key: what one binding costs as an account's bindings pile up. Any NEAR account's owner may
/// have the keystore publish index after index for it, so a registration's gas must not grow with them.
/// </summary>
public sealed class ChainKeysGasTests(ITestOutputHelper output)
{
    private const string Dao = "dao.test";
    private const string Keys = "keys.test";

    /// <summary>Answers <c>get_worker</c> for any key as a registered worker with approved measurements.</summary>
    private sealed class VouchingDao : INativeContract
    {
        public byte[] Call(NativeCallContext context, string methodName, ReadOnlySpan<byte> args)
        {
            if (methodName != "get_worker") throw new NativeContractPanicException($"method {methodName} is not supported");
            string key = JsonNode.Parse(Encoding.UTF8.GetString(args))!["public_key"]!.GetValue<string>();
            var worker = new JsonObject
            {
                ["public_key"] = key,
                ["measurements"] = new JsonObject { ["rtmr3"] = new string('a', 96) },
                ["measurements_approved"] = true,
            };
            return Encoding.UTF8.GetBytes(worker.ToJsonString());
        }
    }

    /// <summary>A distinct Solana binding per index (the address is the base58 of the key).</summary>
    private static string SolanaBinding(string account, uint index)
    {
        byte[] key = new byte[32];
        Array.Fill(key, (byte)7);
        BitConverter.GetBytes(index).CopyTo(key, 0);
        string b58 = Base58(key);
        return new JsonObject
        {
            ["account_id"] = account, ["chain"] = "solana", ["index"] = index, ["public_key"] = "ed25519:" + b58, ["address"] = b58,
        }.ToJsonString();
    }

    private static string Base58(byte[] data)
    {
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var n = new System.Numerics.BigInteger(data, isUnsigned: true, isBigEndian: true);
        var sb = new StringBuilder();
        while (n > 0)
        {
            sb.Insert(0, alphabet[(int)(n % 58)]);
            n /= 58;
        }
        foreach (byte b in data)
        {
            if (b != 0) break;
            sb.Insert(0, '1');
        }
        return sb.ToString();
    }

    [Fact]
    public async Task The_gas_of_a_binding_does_not_grow_with_the_accounts_bindings()
    {
        using var h = new ChainHarness(
            [(Keys, File.ReadAllBytes(RepoPaths.ContractWasm("chain_keys"))), (Dao, null)],
            new Dictionary<string, INativeContract> { [Dao] = new VouchingDao() });
        Assert.True((await h.Call(Keys, Keys, "new", """{"dao_contract_id":"dao.test"}""")).Status is FinalExecutionStatus.SuccessValue);

        const int count = 150;
        UInt128 deposit = ChainHarness.OneNear / 50;
        ulong first = 0, last = 0;
        for (uint i = 0; i < count; i++)
        {
            var outcome = await h.Call(Dao, Keys, "register_tee_key", SolanaBinding("bob.test", i), gas: 100 * ChainHarness.Tgas, deposit: deposit);
            string result = OutcomeAssert.SuccessText(outcome);
            Assert.True(JsonNode.Parse(result)!["ok"]!.GetValue<bool>(), $"binding {i}: {result}");
            // The receipts: register_tee_key, get_worker (native), on_worker_checked, the refund.
            ulong callback = outcome.ReceiptsOutcome.Where(r => r.Logs.Any(l => l.StartsWith("bound ", StringComparison.Ordinal))).Single().GasBurnt;
            if (i == 0) first = callback;
            last = callback;
        }
        output.WriteLine($"on_worker_checked: binding #1 {first / 1e12:F2} Tgas, binding #{count} {last / 1e12:F2} Tgas");
        Assert.True(last < first + ChainHarness.Tgas / 2, $"binding #{count} costs {last / 1e12:F2} Tgas, #1 {first / 1e12:F2} Tgas");
        Assert.Equal(count.ToString(), h.View(Keys, "count", "{}"));
        Assert.Equal(100, JsonNode.Parse(h.View(Keys, "get_bindings", """{"account_id":"bob.test"}"""))!.AsArray().Count);
    }
}
