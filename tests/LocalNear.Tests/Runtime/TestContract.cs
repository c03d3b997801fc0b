namespace Keystore.LocalNear.Tests.Runtime;

/// <summary>
/// A small contract in WebAssembly text exercising the host: storage through registers (len = u64::MAX),
/// logs, panics, traps, an endless loop, promises with a callback, and a transfer.
/// </summary>
internal static class TestContract
{
    public const string Text = """
        (module
          (import "env" "input" (func $input (param i64)))
          (import "env" "read_register" (func $read_register (param i64 i64)))
          (import "env" "register_len" (func $register_len (param i64) (result i64)))
          (import "env" "value_return" (func $value_return (param i64 i64)))
          (import "env" "storage_write" (func $storage_write (param i64 i64 i64 i64 i64) (result i64)))
          (import "env" "storage_read" (func $storage_read (param i64 i64 i64) (result i64)))
          (import "env" "storage_remove" (func $storage_remove (param i64 i64 i64) (result i64)))
          (import "env" "storage_has_key" (func $storage_has_key (param i64 i64) (result i64)))
          (import "env" "log_utf8" (func $log_utf8 (param i64 i64)))
          (import "env" "panic_utf8" (func $panic_utf8 (param i64 i64)))
          (import "env" "current_account_id" (func $current_account_id (param i64)))
          (import "env" "predecessor_account_id" (func $predecessor_account_id (param i64)))
          (import "env" "signer_account_id" (func $signer_account_id (param i64)))
          (import "env" "sha256" (func $sha256 (param i64 i64 i64)))
          (import "env" "promise_create" (func $promise_create (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
          (import "env" "promise_then" (func $promise_then (param i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
          (import "env" "promise_return" (func $promise_return (param i64)))
          (import "env" "promise_and" (func $promise_and (param i64 i64) (result i64)))
          (import "env" "promise_results_count" (func $promise_results_count (result i64)))
          (import "env" "promise_result" (func $promise_result (param i64 i64) (result i64)))
          (import "env" "promise_batch_create" (func $promise_batch_create (param i64 i64) (result i64)))
          (import "env" "promise_batch_action_transfer" (func $promise_batch_action_transfer (param i64 i64)))
          (memory (export "memory") 1)
          (data (i32.const 0) "key")
          (data (i32.const 16) "boom")
          (data (i32.const 32) "get")
          (data (i32.const 48) "on_result")
          (data (i32.const 64) "failed")
          (data (i32.const 80) "hello log")
          (data (i32.const 128) "whoami")
          (data (i32.const 256) "request_app_private_key")
          (data (i32.const 288) "v1.signer.test")
          (data (i32.const 320) "\01")
          (data (i32.const 352) "count_results")

          ;; storage["key"] = input, logging first
          (func (export "set")
            (call $input (i64.const 0))
            (call $log_utf8 (i64.const 9) (i64.const 80))
            (drop (call $storage_write (i64.const 3) (i64.const 0) (i64.const -1) (i64.const 0) (i64.const 1))))

          ;; returns storage["key"], panics "boom" when absent
          (func (export "get")
            (if (i64.eq (call $storage_read (i64.const 3) (i64.const 0) (i64.const 0)) (i64.const 0))
              (then (call $panic_utf8 (i64.const 4) (i64.const 16))))
            (call $value_return (i64.const -1) (i64.const 0)))

          ;; writes, then panics: the write must be rolled back
          (func (export "set_then_panic")
            (call $input (i64.const 0))
            (drop (call $storage_write (i64.const 3) (i64.const 0) (i64.const -1) (i64.const 0) (i64.const 1)))
            (call $panic_utf8 (i64.const 4) (i64.const 16)))

          ;; removes storage["key"], returning the old value
          (func (export "remove")
            (if (i64.eq (call $storage_remove (i64.const 3) (i64.const 0) (i64.const 0)) (i64.const 1))
              (then (call $value_return (i64.const -1) (i64.const 0)))))

          ;; "1" or "0"
          (func (export "has")
            (i32.store8 (i32.const 200) (i32.add (i32.const 48) (i32.wrap_i64 (call $storage_has_key (i64.const 3) (i64.const 0)))))
            (call $value_return (i64.const 1) (i64.const 200)))

          ;; "<predecessor>|<signer>" through read_register into memory
          (func (export "whoami")
            (local $n i64) (local $m i64)
            (call $predecessor_account_id (i64.const 0))
            (local.set $n (call $register_len (i64.const 0)))
            (call $read_register (i64.const 0) (i64.const 1024))
            (i32.store8 (i32.wrap_i64 (i64.add (i64.const 1024) (local.get $n))) (i32.const 124))
            (call $signer_account_id (i64.const 1))
            (local.set $m (call $register_len (i64.const 1)))
            (call $read_register (i64.const 1) (i64.add (i64.const 1025) (local.get $n)))
            (call $value_return (i64.add (i64.add (local.get $n) (local.get $m)) (i64.const 1)) (i64.const 1024)))

          (func (export "hash_input")
            (call $input (i64.const 0))
            (call $sha256 (i64.const -1) (i64.const 0) (i64.const 1))
            (call $value_return (i64.const -1) (i64.const 1)))

          (func (export "burn") (loop $l (br $l)))

          (func (export "trap") unreachable)

          ;; register_len of an unset register is u64::MAX; reading it is an error
          (func (export "bad_register") (call $read_register (i64.const 77) (i64.const 0)))

          ;; <input account>.get(), then self.on_result(); returns the callback's value
          (func (export "call_other")
            (local $p i64)
            (call $input (i64.const 0))
            (call $current_account_id (i64.const 1))
            (local.set $p (call $promise_create (i64.const -1) (i64.const 0) (i64.const 3) (i64.const 32)
              (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 30000000000000)))
            (call $promise_return
              (call $promise_then (local.get $p) (i64.const -1) (i64.const 1) (i64.const 9) (i64.const 48)
                (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 30000000000000))))

          ;; <input account>.whoami(), then self.on_result()
          (func (export "relay_whoami")
            (local $p i64)
            (call $input (i64.const 0))
            (call $current_account_id (i64.const 1))
            (local.set $p (call $promise_create (i64.const -1) (i64.const 0) (i64.const 6) (i64.const 128)
              (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 30000000000000)))
            (call $promise_return
              (call $promise_then (local.get $p) (i64.const -1) (i64.const 1) (i64.const 9) (i64.const 48)
                (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 30000000000000))))

          ;; v1.signer.test.request_app_private_key(input) with 1 yoctoNEAR, then self.on_result()
          (func (export "ask_mpc")
            (local $p i64)
            (call $input (i64.const 0))
            (call $current_account_id (i64.const 1))
            (local.set $p (call $promise_create (i64.const 14) (i64.const 288) (i64.const 23) (i64.const 256)
              (i64.const -1) (i64.const 0) (i64.const 320) (i64.const 50000000000000)))
            (call $promise_return
              (call $promise_then (local.get $p) (i64.const -1) (i64.const 1) (i64.const 9) (i64.const 48)
                (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 10000000000000))))

          ;; two calls of <input account>.get() joined with promise_and, then self.count_results()
          (func (export "call_both")
            (call $input (i64.const 0))
            (call $current_account_id (i64.const 1))
            (i64.store (i32.const 400) (call $promise_create (i64.const -1) (i64.const 0) (i64.const 3) (i64.const 32)
              (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 20000000000000)))
            (i64.store (i32.const 408) (call $promise_create (i64.const -1) (i64.const 0) (i64.const 3) (i64.const 32)
              (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 20000000000000)))
            (call $promise_return
              (call $promise_then (call $promise_and (i64.const 400) (i64.const 2)) (i64.const -1) (i64.const 1) (i64.const 13) (i64.const 352)
                (i64.const 0) (i64.const 0) (i64.const 96) (i64.const 20000000000000))))

          ;; "<count>:<status of each result>", e.g. "2:11"
          (func (export "count_results")
            (local $n i64) (local $i i64)
            (local.set $n (call $promise_results_count))
            (i32.store8 (i32.const 500) (i32.add (i32.const 48) (i32.wrap_i64 (local.get $n))))
            (i32.store8 (i32.const 501) (i32.const 58))
            (block $done
              (loop $next
                (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
                (i32.store8 (i32.wrap_i64 (i64.add (i64.const 502) (local.get $i)))
                  (i32.add (i32.const 48) (i32.wrap_i64 (call $promise_result (local.get $i) (i64.const 3)))))
                (local.set $i (i64.add (local.get $i) (i64.const 1)))
                (br $next)))
            (call $value_return (i64.add (local.get $n) (i64.const 2)) (i64.const 500)))

          ;; the promise result, or "failed"
          (func (export "on_result")
            (if (i64.ne (call $promise_results_count) (i64.const 1)) (then unreachable))
            (if (i64.eq (call $promise_result (i64.const 0) (i64.const 2)) (i64.const 1))
              (then (call $value_return (i64.const -1) (i64.const 2)))
              (else (call $value_return (i64.const 6) (i64.const 64)))))

          ;; sends 1000 yoctoNEAR to the input account
          (func (export "pay")
            (call $input (i64.const 0))
            (i64.store (i32.const 112) (i64.const 1000))
            (i64.store (i32.const 120) (i64.const 0))
            (call $promise_batch_action_transfer (call $promise_batch_create (i64.const -1) (i64.const 0)) (i64.const 112)))
        )
        """;

    private static readonly Lazy<byte[]> WasmBytes = new(() => Wat.ToWasm(Text));

    public static byte[] Wasm => WasmBytes.Value;
}
