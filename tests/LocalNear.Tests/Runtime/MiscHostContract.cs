namespace Keystore.LocalNear.Tests.Runtime;

/// <summary>A second WAT contract for the remaining host functions: hashes, signatures, context values, UTF-16 and NUL-terminated logs, abort.</summary>
internal static class MiscHostContract
{
    public const string Text = """
        (module
          (import "env" "input" (func $input (param i64)))
          (import "env" "read_register" (func $read_register (param i64 i64)))
          (import "env" "register_len" (func $register_len (param i64) (result i64)))
          (import "env" "value_return" (func $value_return (param i64 i64)))
          (import "env" "keccak256" (func $keccak256 (param i64 i64 i64)))
          (import "env" "keccak512" (func $keccak512 (param i64 i64 i64)))
          (import "env" "ripemd160" (func $ripemd160 (param i64 i64 i64)))
          (import "env" "ed25519_verify" (func $ed25519_verify (param i64 i64 i64 i64 i64 i64) (result i64)))
          (import "env" "block_index" (func $block_index (result i64)))
          (import "env" "block_timestamp" (func $block_timestamp (result i64)))
          (import "env" "epoch_height" (func $epoch_height (result i64)))
          (import "env" "storage_usage" (func $storage_usage (result i64)))
          (import "env" "prepaid_gas" (func $prepaid_gas (result i64)))
          (import "env" "used_gas" (func $used_gas (result i64)))
          (import "env" "account_balance" (func $account_balance (param i64)))
          (import "env" "account_locked_balance" (func $account_locked_balance (param i64)))
          (import "env" "attached_deposit" (func $attached_deposit (param i64)))
          (import "env" "random_seed" (func $random_seed (param i64)))
          (import "env" "log_utf8" (func $log_utf8 (param i64 i64)))
          (import "env" "log_utf16" (func $log_utf16 (param i64 i64)))
          (import "env" "panic" (func $panic))
          (import "env" "abort" (func $abort (param i32 i32 i32 i32)))
          (import "env" "current_account_id" (func $current_account_id (param i64)))
          (import "env" "promise_batch_create" (func $promise_batch_create (param i64 i64) (result i64)))
          (import "env" "promise_batch_action_add_key_with_full_access" (func $add_full (param i64 i64 i64 i64)))
          (import "env" "promise_batch_action_function_call_weight" (func $call_weight (param i64 i64 i64 i64 i64 i64 i64 i64)))
          (import "env" "promise_return" (func $promise_return (param i64)))
          (memory (export "memory") 1)
          (data (i32.const 0) "nul-terminated\00")
          (data (i32.const 32) "h\00\e9\00!\00\00\00")
          (data (i32.const 60) "\04\00\00\00o\00k\00")
          (data (i32.const 76) "\08\00\00\00a\00.\00t\00s\00")
          (data (i32.const 100) "context")

          (func (export "keccak")
            (call $input (i64.const 0)) (call $keccak256 (i64.const -1) (i64.const 0) (i64.const 1))
            (call $value_return (i64.const -1) (i64.const 1)))
          (func (export "keccak512")
            (call $input (i64.const 0)) (call $keccak512 (i64.const -1) (i64.const 0) (i64.const 1))
            (call $value_return (i64.const -1) (i64.const 1)))
          (func (export "ripemd")
            (call $input (i64.const 0)) (call $ripemd160 (i64.const -1) (i64.const 0) (i64.const 1))
            (call $value_return (i64.const -1) (i64.const 1)))

          ;; input = signature(64) ‖ public key(32) ‖ message; returns "1" or "0"
          (func (export "verify")
            (call $input (i64.const 0))
            (call $read_register (i64.const 0) (i64.const 1024))
            (i32.store8 (i32.const 200) (i32.add (i32.const 48) (i32.wrap_i64
              (call $ed25519_verify (i64.const 64) (i64.const 1024)
                (i64.sub (call $register_len (i64.const 0)) (i64.const 96)) (i64.const 1120)
                (i64.const 32) (i64.const 1088)))))
            (call $value_return (i64.const 1) (i64.const 200)))

          ;; block_index, block_timestamp, epoch_height, storage_usage, prepaid_gas, used_gas (u64 LE), then balance, locked, deposit (u128 LE)
          (func (export "context")
            (i64.store (i32.const 2048) (call $block_index))
            (i64.store (i32.const 2056) (call $block_timestamp))
            (i64.store (i32.const 2064) (call $epoch_height))
            (i64.store (i32.const 2072) (call $storage_usage))
            (i64.store (i32.const 2080) (call $prepaid_gas))
            (i64.store (i32.const 2088) (call $used_gas))
            (call $account_balance (i64.const 2096))
            (call $account_locked_balance (i64.const 2112))
            (call $attached_deposit (i64.const 2128))
            (call $value_return (i64.const 96) (i64.const 2048)))

          (func (export "seed") (call $random_seed (i64.const 0)) (call $value_return (i64.const -1) (i64.const 0)))

          (func (export "logs")
            (call $log_utf8 (i64.const -1) (i64.const 0))
            (call $log_utf16 (i64.const -1) (i64.const 32))
            (call $log_utf16 (i64.const 6) (i64.const 32)))

          (func (export "bare_panic") (call $panic))
          (func (export "as_abort") (call $abort (i32.const 64) (i32.const 80) (i32.const 12) (i32.const 3)))

          ;; self.context() with no static gas and weight 1: it receives all the gas this call leaves unused
          (func (export "weighted")
            (local $p i64)
            (call $current_account_id (i64.const 1))
            (local.set $p (call $promise_batch_create (i64.const -1) (i64.const 1)))
            (call $call_weight (local.get $p) (i64.const 7) (i64.const 100) (i64.const 0) (i64.const 0) (i64.const 3000) (i64.const 0) (i64.const 1)) ;; amount: the zero u128 at 3000
            (call $promise_return (local.get $p)))

          ;; adds the borsh public key in the input as a full-access key of this account
          (func (export "add_own_key")
            (call $input (i64.const 0))
            (call $current_account_id (i64.const 1))
            (call $add_full (call $promise_batch_create (i64.const -1) (i64.const 1)) (i64.const -1) (i64.const 0) (i64.const 12345)))
        )
        """;

    private static readonly Lazy<byte[]> WasmBytes = new(() => Wat.ToWasm(Text));

    public static byte[] Wasm => WasmBytes.Value;
}
