using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;
using Microsoft.Extensions.Logging;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// Applies one action receipt to the state, as nearcore's <c>apply_action_receipt</c>: actions in order on
/// the receiver; the first failing action rolls back everything the receipt did (gas stays burnt, deposits
/// go back to the predecessor); unused gas is refunded to the signer. Refunds are credited directly instead
/// of through refund receipts.
/// </summary>
internal sealed class ReceiptExecutor(ChainState state, WasmRuntime wasm, IReadOnlyDictionary<string, INativeContract> natives, UInt128 gasPrice,
    ILogger? logger = null)
{
    /// <summary>Gas a native contract call burns (there is no wasm to meter): a typical small contract call.</summary>
    public const ulong NativeCallGas = 5_000_000_000_000;

    public ReceiptResult Execute(ActionReceipt receipt, IReadOnlyList<PromiseResult> promiseResults, BlockContext block)
    {
        int checkpoint = state.Checkpoint();
        try
        {
            return Apply(receipt, promiseResults, block, checkpoint);
        }
        catch
        {
            // A runtime bug must not leave half a receipt applied.
            state.Rollback(checkpoint);
            state.Commit();
            throw;
        }
    }

    private ReceiptResult Apply(ActionReceipt receipt, IReadOnlyList<PromiseResult> promiseResults, BlockContext block, int checkpoint)
    {
        var account = state.Get(receipt.ReceiverId);
        string actor = receipt.PredecessorId;
        ulong burnt = receipt.PrepaidExecutionFees;
        ulong gasUsedByCalls = 0;
        var logs = new List<string>();
        var newReceipts = new List<ActionReceipt>();
        byte[] value = [];
        ActionReceipt? returned = null;
        JsonObject? error = null;

        for (int i = 0; i < receipt.Actions.Count && error is null; i++)
        {
            var action = receipt.Actions[i];
            if (account is null && action is not CreateAccountAction && !IsImplicitTransfer(receipt))
            {
                error = NearErrors.ActionError(i, NearErrors.Kind("AccountDoesNotExist", ("account_id", receipt.ReceiverId)));
                break;
            }
            switch (action)
            {
                case CreateAccountAction:
                    error = CreateAccount(receipt, i, account, ref actor);
                    account = state.Get(receipt.ReceiverId);
                    break;
                case DeployContractAction deploy:
                    error = RequireActor(i, actor, receipt.ReceiverId);
                    if (error is null)
                    {
                        state.SetCode(account!, deploy.Code);
                        wasm.Precompile(account!.CodeHash, deploy.Code);
                    }
                    break;
                case FunctionCallAction call:
                    state.SetAmount(account!, account!.Amount + call.Deposit);
                    var vm = RunFunctionCall(receipt, account, call, promiseResults, block, isView: false);
                    logger?.LogDebug("{Receiver}.{Method}: {Instructions} wasm instructions, {Burnt} gas burnt, {Used} gas used of {Prepaid}{Error}",
                        receipt.ReceiverId, call.MethodName, vm.Instructions, vm.GasBurnt, vm.GasUsed, call.Gas, vm.Error is null ? "" : " → " + vm.Error.ToJsonString());
                    burnt += vm.GasBurnt;
                    gasUsedByCalls += vm.GasUsed;
                    logs.AddRange(vm.Logs);
                    if (vm.Error is not null)
                    {
                        error = NearErrors.FunctionCallError(i, vm.Error);
                        break;
                    }
                    newReceipts.AddRange(vm.NewReceipts);
                    value = vm.ReturnValue ?? [];
                    returned = vm.ReturnedReceipt;
                    break;
                case TransferAction transfer:
                    account ??= CreateImplicitAccount(receipt.ReceiverId);
                    state.SetAmount(account, account.Amount + transfer.Deposit);
                    break;
                case StakeAction stake:
                    // No validators here: staking is refused the way NEAR refuses a stake below the seat price.
                    error = NearErrors.ActionError(i, NearErrors.Kind("InsufficientStake",
                        ("account_id", receipt.ReceiverId), ("stake", stake.Stake.ToString()), ("minimum_stake", UInt128.MaxValue.ToString())));
                    break;
                case AddKeyAction add:
                    error = RequireActor(i, actor, receipt.ReceiverId) ?? AddKey(i, account!, add, block);
                    break;
                case DeleteKeyAction delete:
                    error = RequireActor(i, actor, receipt.ReceiverId);
                    if (error is null && !state.RemoveAccessKey(account!, delete.PublicKey))
                        error = NearErrors.ActionError(i, NearErrors.Kind("DeleteKeyDoesNotExist",
                            ("account_id", receipt.ReceiverId), ("public_key", delete.PublicKey.ToString())));
                    break;
                case DeleteAccountAction deleteAccount:
                    error = RequireActor(i, actor, receipt.ReceiverId) ?? DeleteAccount(i, receipt, account!, deleteAccount, newReceipts);
                    if (error is null) account = null;
                    break;
            }
        }

        // Storage staking: the account must still hold enough for what it stores.
        if (error is null && account is not null && account.Amount + account.Locked < account.StorageCost)
            error = NearErrors.ActionError(null, NearErrors.Kind("LackBalanceForState",
                ("account_id", account.AccountId), ("amount", (account.StorageCost - account.Amount - account.Locked).ToString())));

        ulong refundGas = receipt.PrepaidGas > gasUsedByCalls ? receipt.PrepaidGas - gasUsedByCalls : 0;
        if (error is not null)
        {
            state.Rollback(checkpoint);
            newReceipts.Clear();
            returned = null;
            // Attached gas of discarded receipts comes back too: only burnt gas is lost.
            refundGas = receipt.PrepaidGas + receipt.PrepaidExecutionFees > burnt ? receipt.PrepaidGas + receipt.PrepaidExecutionFees - burnt : 0;
            Credit(receipt.PredecessorId, receipt.TotalDeposit);
        }
        else if (returned is not null)
        {
            // promise_return: whoever waits on this receipt now waits on the returned one.
            returned.OutputDataReceivers.AddRange(receipt.OutputDataReceivers);
        }
        Credit(receipt.SignerId, gasPrice * refundGas);
        state.Commit();

        ExecutionStatus status = error is not null ? new ExecutionStatus.Failure(error)
            : returned is not null ? new ExecutionStatus.SuccessReceiptId(returned.Id)
            : new ExecutionStatus.SuccessValue(value);
        var outcome = new ExecutionOutcomeWithId(receipt.Id, block.Hash, receipt.ReceiverId, logs, newReceipts.Select(r => r.Id).ToList(),
            burnt, gasPrice * burnt, status);
        var data = error is not null ? PromiseResult.Failed : new PromiseResult(true, value);
        return new ReceiptResult(outcome, newReceipts, data);
    }

    /// <summary>Runs a function call (wasm or native) against <paramref name="account"/>; used for receipts and views.</summary>
    public VmOutcome RunFunctionCall(ActionReceipt receipt, AccountRecord account, FunctionCallAction call, IReadOnlyList<PromiseResult> promiseResults,
        BlockContext block, bool isView)
    {
        ulong prepaid = Math.Min(call.Gas, GasSchedule.MaxGasBurnt);
        if (natives.TryGetValue(account.AccountId, out var native))
            return RunNative(native, receipt, account, call, block, isView);
        if (account.Code is null)
            return new VmOutcome(null, null, [], [], 0, 0, 0,
                new JsonObject { ["CompilationError"] = new JsonObject { ["CodeDoesNotExist"] = new JsonObject { ["account_id"] = account.AccountId } } });
        var logic = new VmLogic
        {
            CurrentAccountId = account.AccountId,
            PredecessorAccountId = receipt.PredecessorId,
            SignerAccountId = receipt.SignerId,
            SignerPublicKey = receipt.SignerPublicKey,
            Input = call.Args,
            BlockHeight = block.Height,
            BlockTimestamp = block.TimestampNanos,
            EpochHeight = block.EpochHeight,
            RandomSeed = SHA256.HashData([.. block.Hash, .. receipt.Id]),
            AttachedDeposit = call.Deposit,
            IsView = isView,
            PromiseResults = promiseResults,
            State = state,
            Account = account,
            Gas = new GasCounter(prepaid, GasSchedule.MaxGasBurnt),
            ReceiptId = receipt.Id,
            OutputDataReceivers = receipt.OutputDataReceivers.Count,
        };
        return wasm.Run(account.CodeHash, account.Code, call.MethodName, logic);
    }

    private static VmOutcome RunNative(INativeContract native, ActionReceipt receipt, AccountRecord account, FunctionCallAction call, BlockContext block, bool isView)
    {
        var context = new NativeCallContext(account.AccountId, receipt.PredecessorId, receipt.SignerId, call.Deposit, call.Gas, block.Height, block.TimestampNanos, isView);
        if (!isView && call.Gas < NativeCallGas)
            return new VmOutcome(null, null, [], [], call.Gas, call.Gas, 0, VmAbortException.GasExceeded().FunctionCallError);
        ulong burnt = isView ? 0 : NativeCallGas;
        try
        {
            var result = native.Call(context, call.MethodName, call.Args);
            return new VmOutcome(result, null, [], [], burnt, burnt, 0, null);
        }
        catch (NativeContractPanicException e)
        {
            return new VmOutcome(null, null, [], [], burnt, burnt, 0, VmAbortException.Panic(e.Message).FunctionCallError);
        }
    }

    private JsonObject? CreateAccount(ActionReceipt receipt, int index, AccountRecord? existing, ref string actor)
    {
        string id = receipt.ReceiverId;
        if (existing is not null)
            return NearErrors.ActionError(index, NearErrors.Kind("AccountAlreadyExists", ("account_id", id)));
        var parsed = AccountId.Parse(id);
        if (parsed.IsNearImplicit || parsed.IsEthImplicit)
            return NearErrors.ActionError(index, NearErrors.Kind("OnlyImplicitAccountCreationAllowed", ("account_id", id)));
        // Sub-accounts only by their direct parent (nearcore's rule). Top-level names have no registrar on a
        // local chain: anyone may create them.
        if (!parsed.IsTopLevel)
        {
            string parent = id[(id.IndexOf('.') + 1)..];
            if (parent != receipt.PredecessorId)
                return NearErrors.ActionError(index, NearErrors.Kind("CreateAccountNotAllowed", ("account_id", id), ("predecessor_id", receipt.PredecessorId)));
        }
        state.CreateAccount(id);
        // nearcore: the new account is the actor for the rest of the batch (add key, deploy).
        actor = id;
        return null;
    }

    private static bool IsImplicitTransfer(ActionReceipt receipt) =>
        receipt.Actions is [TransferAction] && AccountId.TryParse(receipt.ReceiverId, out var id) && id.IsNearImplicit;

    /// <summary>A transfer to a NEAR-implicit account creates it, owned by the key its name is the hex of.</summary>
    private AccountRecord CreateImplicitAccount(string accountId)
    {
        var account = state.CreateAccount(accountId);
        state.SetAccessKey(account, new Ed25519PublicKey(Convert.FromHexString(accountId)), AccessKey.FullAccess());
        return account;
    }

    private static JsonObject? RequireActor(int index, string actor, string accountId) =>
        actor == accountId ? null : NearErrors.ActionError(index, NearErrors.Kind("ActorNoPermission", ("account_id", accountId), ("actor_id", actor)));

    private JsonObject? AddKey(int index, AccountRecord account, AddKeyAction add, BlockContext block)
    {
        if (account.AccessKeys.ContainsKey(add.PublicKey))
            return NearErrors.ActionError(index, NearErrors.Kind("AddKeyAlreadyExists", ("account_id", account.AccountId), ("public_key", add.PublicKey.ToString())));
        // nearcore's nonce for keys added after genesis: (height - 1) × 10^6, so transactions signed for an
        // earlier key with the same public key cannot be replayed.
        state.SetAccessKey(account, add.PublicKey, add.AccessKey with { Nonce = (block.Height > 0 ? block.Height - 1 : 0) * TransactionValidator.AccessKeyNonceRangeMultiplier });
        return null;
    }

    private JsonObject? DeleteAccount(int index, ActionReceipt receipt, AccountRecord account, DeleteAccountAction action, List<ActionReceipt> newReceipts)
    {
        if (account.Locked > 0)
            return NearErrors.ActionError(index, NearErrors.Kind("DeleteAccountStaking", ("account_id", account.AccountId)));
        if (account.Amount > 0)
        {
            // The balance travels to the beneficiary in a transfer receipt, as on NEAR.
            var transfer = new ActionReceipt
            {
                Id = SHA256.HashData([.. receipt.Id, .. "beneficiary"u8]),
                PredecessorId = account.AccountId,
                ReceiverId = action.BeneficiaryId,
                SignerId = receipt.SignerId,
                SignerPublicKey = receipt.SignerPublicKey,
            };
            transfer.Actions.Add(new TransferAction(account.Amount));
            newReceipts.Add(transfer);
        }
        state.DeleteAccount(account);
        return null;
    }

    private void Credit(string accountId, UInt128 amount)
    {
        if (amount == 0) return;
        // A refund to an account deleted meanwhile is burnt, as nearcore does.
        if (state.Get(accountId) is { } account) state.SetAmount(account, account.Amount + amount);
    }
}
