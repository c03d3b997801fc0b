using Wasmtime;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// Binds <see cref="VmLogic"/> to the wasm imports of module <c>env</c>. Every call first charges the wasm
/// instructions executed since the previous host call (fuel → gas) and nearcore's per-call base cost, and
/// afterwards hands the remaining gas back to the store as fuel.
/// </summary>
internal static class HostFunctions
{
    public static void Define(Linker linker)
    {
        // Registers.
        linker.DefineFunction("env", "read_register", (Caller c, long id, long ptr) => Run(c, l => l.ReadRegister(U(id), U(ptr))));
        linker.DefineFunction("env", "register_len", (Caller c, long id) => Run(c, l => l.RegisterLength(U(id))));
        linker.DefineFunction("env", "write_register", (Caller c, long id, long len, long ptr) => Run(c, l => l.SetRegister(U(id), l.ReadMemory(U(ptr), U(len)))));

        // Context.
        linker.DefineFunction("env", "current_account_id", (Caller c, long r) => Run(c, l => l.CurrentAccountIdTo(U(r))));
        linker.DefineFunction("env", "signer_account_id", (Caller c, long r) => Run(c, l => l.SignerAccountIdTo(U(r))));
        linker.DefineFunction("env", "signer_account_pk", (Caller c, long r) => Run(c, l => l.SignerAccountPkTo(U(r))));
        linker.DefineFunction("env", "predecessor_account_id", (Caller c, long r) => Run(c, l => l.PredecessorAccountIdTo(U(r))));
        linker.DefineFunction("env", "input", (Caller c, long r) => Run(c, l => l.InputTo(U(r))));
        linker.DefineFunction("env", "block_index", (Caller c) => Run(c, l => l.BlockIndex()));
        linker.DefineFunction("env", "block_height", (Caller c) => Run(c, l => l.BlockIndex()));
        linker.DefineFunction("env", "block_timestamp", (Caller c) => Run(c, l => l.BlockTimestampNanos()));
        linker.DefineFunction("env", "epoch_height", (Caller c) => Run(c, l => l.EpochHeightValue()));
        linker.DefineFunction("env", "storage_usage", (Caller c) => Run(c, l => l.StorageUsage()));
        linker.DefineFunction("env", "account_balance", (Caller c, long p) => Run(c, l => l.AccountBalanceTo(U(p))));
        linker.DefineFunction("env", "account_locked_balance", (Caller c, long p) => Run(c, l => l.AccountLockedBalanceTo(U(p))));
        linker.DefineFunction("env", "attached_deposit", (Caller c, long p) => Run(c, l => l.AttachedDepositTo(U(p))));
        linker.DefineFunction("env", "prepaid_gas", (Caller c) => Run(c, l => l.PrepaidGasValue()));
        linker.DefineFunction("env", "used_gas", (Caller c) => Run(c, l => l.UsedGasValue()));
        linker.DefineFunction("env", "random_seed", (Caller c, long r) => Run(c, l => l.RandomSeedTo(U(r))));

        // Hashes and signatures.
        linker.DefineFunction("env", "sha256", (Caller c, long len, long ptr, long r) => Run(c, l => l.Sha256(U(len), U(ptr), U(r))));
        linker.DefineFunction("env", "keccak256", (Caller c, long len, long ptr, long r) => Run(c, l => l.Keccak256(U(len), U(ptr), U(r))));
        linker.DefineFunction("env", "keccak512", (Caller c, long len, long ptr, long r) => Run(c, l => l.Keccak512(U(len), U(ptr), U(r))));
        linker.DefineFunction("env", "ripemd160", (Caller c, long len, long ptr, long r) => Run(c, l => l.Ripemd160(U(len), U(ptr), U(r))));
        linker.DefineFunction("env", "ed25519_verify", (Caller c, long sl, long sp, long ml, long mp, long pl, long pp) =>
            Run(c, l => l.Ed25519Verify(U(sl), U(sp), U(ml), U(mp), U(pl), U(pp))));

        // Results, logs, panics.
        linker.DefineFunction("env", "value_return", (Caller c, long len, long ptr) => Run(c, l => l.ValueReturn(U(len), U(ptr))));
        linker.DefineFunction("env", "panic", (Caller c) => Run(c, l => l.Panic()));
        linker.DefineFunction("env", "panic_utf8", (Caller c, long len, long ptr) => Run(c, l => l.PanicUtf8(U(len), U(ptr))));
        linker.DefineFunction("env", "log_utf8", (Caller c, long len, long ptr) => Run(c, l => l.LogUtf8(U(len), U(ptr))));
        linker.DefineFunction("env", "log_utf16", (Caller c, long len, long ptr) => Run(c, l => l.LogUtf16(U(len), U(ptr))));
        linker.DefineFunction("env", "abort", (Caller c, int msg, int file, int line, int col) =>
            Run(c, l => l.AssemblyScriptAbort((uint)msg, (uint)file, (uint)line, (uint)col)));

        // Storage.
        linker.DefineFunction("env", "storage_write", (Caller c, long kl, long kp, long vl, long vp, long r) => Run(c, l => l.StorageWrite(U(kl), U(kp), U(vl), U(vp), U(r))));
        linker.DefineFunction("env", "storage_read", (Caller c, long kl, long kp, long r) => Run(c, l => l.StorageRead(U(kl), U(kp), U(r))));
        linker.DefineFunction("env", "storage_remove", (Caller c, long kl, long kp, long r) => Run(c, l => l.StorageRemove(U(kl), U(kp), U(r))));
        linker.DefineFunction("env", "storage_has_key", (Caller c, long kl, long kp) => Run(c, l => l.StorageHasKey(U(kl), U(kp))));

        // Promises.
        linker.DefineFunction("env", "promise_create", (Caller c, long al, long ap, long fl, long fp, long gl, long gp, long amount, long gas) =>
            Run(c, l => l.PromiseCreate(U(al), U(ap), U(fl), U(fp), U(gl), U(gp), U(amount), U(gas))));
        linker.DefineFunction("env", "promise_then", (Caller c, long idx, long al, long ap, long fl, long fp, long gl, long gp, long amount, long gas) =>
            Run(c, l => l.PromiseThen(U(idx), U(al), U(ap), U(fl), U(fp), U(gl), U(gp), U(amount), U(gas))));
        linker.DefineFunction("env", "promise_and", (Caller c, long ptr, long count) => Run(c, l => l.PromiseAnd(U(ptr), U(count))));
        linker.DefineFunction("env", "promise_batch_create", (Caller c, long al, long ap) => Run(c, l => l.PromiseBatchCreate(U(al), U(ap))));
        linker.DefineFunction("env", "promise_batch_then", (Caller c, long idx, long al, long ap) => Run(c, l => l.PromiseBatchThen(U(idx), U(al), U(ap))));
        linker.DefineFunction("env", "promise_batch_action_create_account", (Caller c, long idx) => Run(c, l => l.PromiseBatchActionCreateAccount(U(idx))));
        linker.DefineFunction("env", "promise_batch_action_deploy_contract", (Caller c, long idx, long cl, long cp) =>
            Run(c, l => l.PromiseBatchActionDeployContract(U(idx), U(cl), U(cp))));
        linker.DefineFunction("env", "promise_batch_action_function_call", (Caller c, long idx, long fl, long fp, long gl, long gp, long amount, long gas) =>
            Run(c, l => l.PromiseBatchActionFunctionCall(U(idx), U(fl), U(fp), U(gl), U(gp), U(amount), U(gas))));
        linker.DefineFunction("env", "promise_batch_action_function_call_weight", (Caller c, long idx, long fl, long fp, long gl, long gp, long amount, long gas, long weight) =>
            Run(c, l => l.PromiseBatchActionFunctionCallWeight(U(idx), U(fl), U(fp), U(gl), U(gp), U(amount), U(gas), U(weight))));
        linker.DefineFunction("env", "promise_batch_action_transfer", (Caller c, long idx, long amount) => Run(c, l => l.PromiseBatchActionTransfer(U(idx), U(amount))));
        linker.DefineFunction("env", "promise_batch_action_add_key_with_full_access", (Caller c, long idx, long pl, long pp, long nonce) =>
            Run(c, l => l.PromiseBatchActionAddKeyWithFullAccess(U(idx), U(pl), U(pp), U(nonce))));
        linker.DefineFunction("env", "promise_batch_action_add_key_with_function_call",
            (Caller c, long idx, long pl, long pp, long nonce, long allowance, long rl, long rp, long ml, long mp) =>
                Run(c, l => l.PromiseBatchActionAddKeyWithFunctionCall(U(idx), U(pl), U(pp), U(nonce), U(allowance), U(rl), U(rp), U(ml), U(mp))));
        linker.DefineFunction("env", "promise_batch_action_delete_key", (Caller c, long idx, long pl, long pp) =>
            Run(c, l => l.PromiseBatchActionDeleteKey(U(idx), U(pl), U(pp))));
        linker.DefineFunction("env", "promise_batch_action_delete_account", (Caller c, long idx, long bl, long bp) =>
            Run(c, l => l.PromiseBatchActionDeleteAccount(U(idx), U(bl), U(bp))));
        linker.DefineFunction("env", "promise_results_count", (Caller c) => Run(c, l => l.PromiseResultsCount()));
        linker.DefineFunction("env", "promise_result", (Caller c, long idx, long r) => Run(c, l => l.PromiseResult(U(idx), U(r))));
        linker.DefineFunction("env", "promise_return", (Caller c, long idx) => Run(c, l => l.PromiseReturn(U(idx))));
    }

    private static ulong U(long value) => unchecked((ulong)value);

    private static long Run(Caller caller, Func<VmLogic, ulong> body)
    {
        long result = 0;
        Run(caller, logic => { result = unchecked((long)body(logic)); });
        return result;
    }

    private static void Run(Caller caller, Action<VmLogic> body)
    {
        var logic = (VmLogic)caller.GetData()!;
        try
        {
            logic.Gas.ChargeFuel(caller.Fuel);
            logic.Gas.Burn(GasSchedule.Base);
            logic.Memory ??= caller.GetMemory("memory");
            body(logic);
            caller.Fuel = logic.Gas.FuelBudget();
        }
        catch (VmAbortException e)
        {
            // Kept on the logic: the engine turns the exception into a trap and may not preserve it.
            logic.Abort ??= e;
            throw;
        }
    }
}
