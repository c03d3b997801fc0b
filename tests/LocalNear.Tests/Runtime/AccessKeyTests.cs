using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.LocalNear.Tests.Runtime;

public sealed class AccessKeyTests
{
    private const string C = "contract.test";

    private static async Task<(ChainHarness Harness, Ed25519KeyPair Key)> WithFunctionCallKey(UInt128? allowance, params string[] methods)
    {
        var h = ChainHarness.WithContract("alice.test");
        var key = Ed25519KeyPair.Generate();
        var added = await h.Send("alice.test", "alice.test", new AddKeyAction(key.PublicKey, AccessKey.FunctionCall(C, methods, allowance)));
        Assert.Equal("", OutcomeAssert.SuccessText(added));
        return (h, key);
    }

    private static SignedTransaction Call(ChainHarness h, Ed25519KeyPair key, string receiver, string method, UInt128 deposit = default, ulong gas = 30 * ChainHarness.Tgas) =>
        h.Sign("alice.test", receiver, [new FunctionCallAction(method, "v"u8.ToArray(), gas, deposit)], key: key);

    private static async Task<JsonNode> KeyError(ChainHarness h, SignedTransaction tx) =>
        (await Assert.ThrowsAsync<InvalidTransactionException>(() => h.Chain.SubmitAsync(tx))).Error["InvalidAccessKeyError"]!;

    [Fact]
    public async Task Function_call_key_calls_its_allowed_method_and_spends_allowance()
    {
        var (h, key) = await WithFunctionCallKey(ChainHarness.OneNear, "set");
        using (h) using (key)
        {
            var nonce = h.Chain.ViewAccessKey("alice.test", key.PublicKey).Nonce;
            Assert.Equal((h.Chain.LatestBlock.Height - 1) * 1_000_000, nonce);
            var outcome = await h.Chain.SubmitAsync(Call(h, key, C, "set"));
            Assert.Equal("", OutcomeAssert.SuccessText(outcome));
            var permission = Assert.IsType<FunctionCallPermission>(h.Chain.ViewAccessKey("alice.test", key.PublicKey).Permission);
            Assert.True(permission.Allowance < ChainHarness.OneNear);
            Assert.Equal("v", h.View(C, "get"));
        }
    }

    [Fact]
    public async Task Function_call_key_rules_give_NEAR_error_shapes()
    {
        var (h, key) = await WithFunctionCallKey(ChainHarness.OneNear, "set");
        using (h) using (key)
        {
            var receiver = await KeyError(h, Call(h, key, "alice.test", "set"));
            Assert.Equal("alice.test", receiver["ReceiverMismatch"]!["tx_receiver"]!.GetValue<string>());
            Assert.Equal(C, receiver["ReceiverMismatch"]!["ak_receiver"]!.GetValue<string>());

            var method = await KeyError(h, Call(h, key, C, "remove"));
            Assert.Equal("remove", method["MethodNameMismatch"]!["method_name"]!.GetValue<string>());

            Assert.Equal("DepositWithFunctionCall", (await KeyError(h, Call(h, key, C, "set", deposit: 1))).GetValue<string>());

            var transfer = h.Sign("alice.test", C, [new TransferAction(1)], key: key);
            Assert.Equal("RequiresFullAccess", (await KeyError(h, transfer)).GetValue<string>());

            var two = h.Sign("alice.test", C, [new FunctionCallAction("set", [], ChainHarness.Tgas, 0), new FunctionCallAction("set", [], ChainHarness.Tgas, 0)], key: key);
            Assert.Equal("RequiresFullAccess", (await KeyError(h, two)).GetValue<string>());
        }
    }

    [Fact]
    public async Task Small_allowance_is_NotEnoughAllowance()
    {
        var (h, key) = await WithFunctionCallKey(1000, "set");
        using (h) using (key)
        {
            var error = (await KeyError(h, Call(h, key, C, "set")))["NotEnoughAllowance"]!;
            Assert.Equal("alice.test", error["account_id"]!.GetValue<string>());
            Assert.Equal(key.PublicKey.ToString(), error["public_key"]!.GetValue<string>());
            Assert.Equal("1000", error["allowance"]!.GetValue<string>());
            Assert.True(UInt128.Parse(error["cost"]!.GetValue<string>()) > 1000);
        }
    }

    [Fact]
    public async Task Unlimited_key_with_no_method_list_calls_any_method()
    {
        var (h, key) = await WithFunctionCallKey(null);
        using (h) using (key)
        {
            Assert.Equal("", OutcomeAssert.SuccessText(await h.Chain.SubmitAsync(Call(h, key, C, "set"))));
            Assert.Equal("v", OutcomeAssert.SuccessText(await h.Chain.SubmitAsync(Call(h, key, C, "remove"))));
            Assert.Null(Assert.IsType<FunctionCallPermission>(h.Chain.ViewAccessKey("alice.test", key.PublicKey).Permission).Allowance);
        }
    }

    [Fact]
    public async Task Deleted_key_can_no_longer_sign()
    {
        var (h, key) = await WithFunctionCallKey(null);
        using (h) using (key)
        {
            await h.Send("alice.test", "alice.test", new DeleteKeyAction(key.PublicKey));
            Assert.Equal(QueryErrorKind.UnknownAccessKey, Assert.Throws<ChainQueryException>(() => h.Chain.ViewAccessKey("alice.test", key.PublicKey)).Kind);
            var tx = h.Sign("alice.test", C, [new FunctionCallAction("set", [], ChainHarness.Tgas, 0)], key: key, nonce: 1_000_000_000);
            Assert.True((await KeyError(h, tx)).AsObject().ContainsKey("AccessKeyNotFound"));
        }
    }
}
