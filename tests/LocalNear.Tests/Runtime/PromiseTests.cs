using Keystore.LocalNear.Chain;
using Keystore.Near.Transactions;
using Xunit;

namespace Keystore.LocalNear.Tests.Runtime;

public sealed class PromiseTests
{
    private static ChainHarness TwoContracts() =>
        new([("a.test", TestContract.Wasm), ("b.test", TestContract.Wasm), ("alice.test", null)]);

    [Fact]
    public async Task Cross_contract_call_and_callback_return_the_callee_value()
    {
        using var h = TwoContracts();
        await h.Call("alice.test", "b.test", "set", "from-b");

        var outcome = await h.Call("alice.test", "a.test", "call_other", "b.test", gas: 100 * ChainHarness.Tgas);

        Assert.Equal("from-b", OutcomeAssert.SuccessText(outcome));
        // a.call_other → b.get and a.on_result, each in its own receipt.
        Assert.Equal(["a.test", "b.test", "a.test"], outcome.ReceiptsOutcome.Select(o => o.ExecutorId));
        var first = outcome.ReceiptsOutcome[0];
        Assert.Equal(2, first.ReceiptIds.Count);
        var callback = Assert.IsType<ExecutionStatus.SuccessReceiptId>(first.Status);
        Assert.Equal(first.ReceiptIds[1], callback.ReceiptId);
        // The callee runs one block after the caller, the callback one block after the callee.
        var heights = outcome.ReceiptsOutcome.Select(o => h.Chain.GetBlock(o.BlockHash)!.Height).ToList();
        Assert.Equal([heights[0], heights[0] + 1, heights[0] + 2], heights);
    }

    [Fact]
    public async Task Every_executed_receipt_is_listed_with_its_data_dependencies()
    {
        using var h = TwoContracts();
        await h.Call("alice.test", "b.test", "set", "from-b");
        var outcome = await h.Call("alice.test", "a.test", "call_other", "b.test", gas: 100 * ChainHarness.Tgas);

        // One receipt view per outcome, same ids, same order.
        Assert.Equal(outcome.ReceiptsOutcome.Select(o => Convert.ToHexString(o.Id)), outcome.Receipts.Select(r => Convert.ToHexString(r.ReceiptId)));
        Assert.Equal(outcome.TransactionOutcome.ReceiptIds[0], outcome.Receipts[0].ReceiptId);
        var (call, callee, callback) = (outcome.Receipts[0], outcome.Receipts[1], outcome.Receipts[2]);
        Assert.Equal(("alice.test", "a.test"), (call.PredecessorId, call.ReceiverId));
        Assert.Equal(("a.test", "b.test"), (callee.PredecessorId, callee.ReceiverId));
        Assert.Equal(("a.test", "a.test"), (callback.PredecessorId, callback.ReceiverId));
        Assert.All(outcome.Receipts, r =>
        {
            Assert.Equal("alice.test", r.SignerId);
            Assert.Equal(h.KeyOf("alice.test").PublicKey, r.SignerPublicKey);
            Assert.Equal(h.Chain.GasPrice, r.GasPrice);
        });
        Assert.Equal("call_other", Assert.IsType<FunctionCallAction>(Assert.Single(call.Actions)).MethodName);
        Assert.Equal("get", Assert.IsType<FunctionCallAction>(Assert.Single(callee.Actions)).MethodName);
        Assert.Equal("on_result", Assert.IsType<FunctionCallAction>(Assert.Single(callback.Actions)).MethodName);

        // The callee's result goes to the callback: the callee's output data id is the callback's input.
        Assert.Empty(call.OutputDataReceivers);
        Assert.Empty(call.InputDataIds);
        var receiver = Assert.Single(callee.OutputDataReceivers);
        Assert.Equal("a.test", receiver.ReceiverId);
        Assert.Equal(receiver.DataId, Assert.Single(callback.InputDataIds));
        Assert.Empty(callback.OutputDataReceivers);
    }

    [Fact]
    public async Task A_deleted_accounts_balance_transfer_is_a_listed_receipt()
    {
        using var h = TwoContracts();
        var outcome = await h.Send("a.test", "a.test", new DeleteAccountAction("alice.test"));
        Assert.IsType<FinalExecutionStatus.SuccessValue>(outcome.Status);
        Assert.Equal(2, outcome.Receipts.Count);
        Assert.Equal(outcome.ReceiptsOutcome[1].Id, outcome.Receipts[1].ReceiptId);
        var transfer = outcome.Receipts[1];
        Assert.Equal(("a.test", "alice.test"), (transfer.PredecessorId, transfer.ReceiverId));
        Assert.IsType<TransferAction>(Assert.Single(transfer.Actions));
        Assert.Equal("alice.test", outcome.ReceiptsOutcome[1].ExecutorId);
    }

    [Fact]
    public async Task Failed_callee_gives_the_callback_a_failed_result_and_fails_the_transaction()
    {
        using var h = TwoContracts();
        var outcome = await h.Call("alice.test", "a.test", "call_other", "b.test");
        Assert.Equal("Smart contract panicked: boom", OutcomeAssert.ExecutionError(outcome));
        var callbackOutcome = outcome.ReceiptsOutcome[2];
        Assert.Equal("failed"u8.ToArray(), Assert.IsType<ExecutionStatus.SuccessValue>(callbackOutcome.Status).Value);
    }

    [Fact]
    public async Task Callee_sees_the_calling_contract_as_predecessor_and_the_original_signer()
    {
        using var h = TwoContracts();
        var outcome = await h.Call("alice.test", "a.test", "relay_whoami", "b.test");
        Assert.Equal("a.test|alice.test", OutcomeAssert.SuccessText(outcome));
    }

    [Fact]
    public async Task Promise_to_a_missing_account_fails_that_receipt_only()
    {
        using var h = TwoContracts();
        var outcome = await h.Call("alice.test", "a.test", "call_other", "ghost.test");
        var error = OutcomeAssert.Failure(outcome)["ActionError"]!["kind"]!["AccountDoesNotExist"]!;
        Assert.Equal("ghost.test", error["account_id"]!.GetValue<string>());
        Assert.Equal("failed"u8.ToArray(), Assert.IsType<ExecutionStatus.SuccessValue>(outcome.ReceiptsOutcome[2].Status).Value);
    }

    [Fact]
    public async Task Joint_promise_delivers_every_result_to_the_callback()
    {
        using var h = TwoContracts();
        await h.Call("alice.test", "b.test", "set", "x");
        var outcome = await h.Call("alice.test", "a.test", "call_both", "b.test", gas: 150 * ChainHarness.Tgas);
        Assert.Equal("2:11", OutcomeAssert.SuccessText(outcome));
        Assert.Equal(4, outcome.ReceiptsOutcome.Count);
    }

    [Fact]
    public async Task Joint_promise_reports_each_failure_separately()
    {
        using var h = TwoContracts();
        // b.get panics on empty storage: both results are failures (status 2).
        var outcome = await h.Call("alice.test", "a.test", "call_both", "b.test", gas: 150 * ChainHarness.Tgas);
        Assert.Equal("Smart contract panicked: boom", OutcomeAssert.ExecutionError(outcome));
        Assert.Equal("2:22"u8.ToArray(), Assert.IsType<ExecutionStatus.SuccessValue>(outcome.ReceiptsOutcome[^1].Status).Value);
    }

    [Fact]
    public async Task Transfer_from_a_contract_moves_its_balance()
    {
        using var h = TwoContracts();
        var before = h.Chain.ViewAccount("b.test").Amount;
        var payerBefore = h.Chain.ViewAccount("a.test").Amount;
        var outcome = await h.Call("alice.test", "a.test", "pay", "b.test");
        Assert.Equal("", OutcomeAssert.SuccessText(outcome));
        Assert.Equal(before + 1000, h.Chain.ViewAccount("b.test").Amount);
        Assert.Equal(payerBefore - 1000, h.Chain.ViewAccount("a.test").Amount);
    }

    [Fact]
    public async Task Attached_gas_is_charged_to_the_caller_and_unused_gas_refunded()
    {
        using var h = TwoContracts();
        await h.Call("alice.test", "b.test", "set", "x");
        var before = h.Chain.ViewAccount("alice.test").Amount;
        var outcome = await h.Call("alice.test", "a.test", "call_other", "b.test", gas: 200 * ChainHarness.Tgas);
        ulong burnt = outcome.TransactionOutcome.GasBurnt + outcome.ReceiptsOutcome.Aggregate(0UL, (s, o) => s + o.GasBurnt);
        // Everything not burnt (prepaid 200 Tgas, attached 2 × 30 Tgas) came back.
        Assert.Equal(before - h.Chain.GasPrice * burnt, h.Chain.ViewAccount("alice.test").Amount);
        Assert.True(burnt < 200 * ChainHarness.Tgas);
    }
}
