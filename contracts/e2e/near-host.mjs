// A small NEAR runtime for node: loads a contract's wasm with the `env` host functions the
// contracts import (registers, storage, context, promises recorded for inspection), so the
// built wasm can be exercised end to end without a chain. Semantics follow nearcore's
// near-vm-runner logic: u64 pointers/lengths (BigInt in JS), u128 balances little-endian in
// memory, register_len = u64::MAX for an unset register, promise_result 1 = success.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { keccak256 } from './keccak.mjs';

export class HostPanic extends Error {}

const U64_MAX = (1n << 64n) - 1n;
const enc = new TextEncoder();
const dec = new TextDecoder();

export class Account {
  constructor(accountId, wasmPath) {
    this.accountId = accountId;
    this.module = new WebAssembly.Module(readFileSync(wasmPath));
    this.storage = new Map(); // hex(key) -> Uint8Array
  }
}

function u128le(v) {
  const b = new Uint8Array(16);
  let x = BigInt(v);
  for (let i = 0; i < 16; i++) { b[i] = Number(x & 0xffn); x >>= 8n; }
  return b;
}

function readU128(mem, ptr) {
  const b = new Uint8Array(mem.buffer, Number(ptr), 16);
  let x = 0n;
  for (let i = 15; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  return x;
}

// Executes `method` of `account` with `context` ({predecessor, signer, signerPk (Uint8Array 33),
// input (string), deposit, blockHeight, blockTimestampNs, promiseResults: [{status, data}]}).
// Returns {ok, value, error, promises, logs}; on panic the storage is restored.
export function call(account, method, context) {
  const registers = new Map();
  const promises = [];
  const logs = [];
  let returned = null;
  let returnedPromise = null;
  const snapshot = new Map(account.storage);
  let mem;
  const bytes = (ptr, len) => new Uint8Array(mem.buffer, Number(ptr), Number(len)).slice();
  const str = (ptr, len) => dec.decode(bytes(ptr, len));
  const setReg = (id, data) => registers.set(id, data);
  const hex = (u8) => Buffer.from(u8).toString('hex');
  const input = enc.encode(context.input ?? '{}');
  const env = {
    read_register(id, ptr) { new Uint8Array(mem.buffer).set(registers.get(id), Number(ptr)); },
    register_len(id) { return registers.has(id) ? BigInt(registers.get(id).length) : U64_MAX; },
    current_account_id(id) { setReg(id, enc.encode(account.accountId)); },
    signer_account_id(id) { setReg(id, enc.encode(context.signer ?? context.predecessor)); },
    signer_account_pk(id) { setReg(id, context.signerPk ?? new Uint8Array(33)); },
    predecessor_account_id(id) { setReg(id, enc.encode(context.predecessor)); },
    input(id) { setReg(id, input); },
    block_index() { return BigInt(context.blockHeight ?? 1000); },
    block_timestamp() { return BigInt(context.blockTimestampNs ?? 0); },
    storage_usage() {
      let n = 0;
      for (const [k, v] of account.storage) n += k.length / 2 + v.length + 40;
      return BigInt(n);
    },
    account_balance(ptr) { new Uint8Array(mem.buffer).set(u128le(100n * 10n ** 24n), Number(ptr)); },
    attached_deposit(ptr) { new Uint8Array(mem.buffer).set(u128le(context.deposit ?? 0n), Number(ptr)); },
    prepaid_gas() { return 300n * 10n ** 12n; },
    used_gas() { return 0n; },
    sha256(len, ptr, id) { setReg(id, new Uint8Array(createHash('sha256').update(bytes(ptr, len)).digest())); },
    keccak256(len, ptr, id) { setReg(id, keccak256(bytes(ptr, len))); },
    value_return(len, ptr) { returned = bytes(ptr, len); },
    panic_utf8(len, ptr) { throw new HostPanic(str(ptr, len)); },
    log_utf8(len, ptr) { logs.push(str(ptr, len)); },
    promise_create(aLen, aPtr, fLen, fPtr, argLen, argPtr, amountPtr, gas) {
      promises.push({ receiver: str(aPtr, aLen), after: null, actions: [{
        type: 'function_call', method: str(fPtr, fLen), args: str(argPtr, argLen), deposit: readU128(mem, amountPtr), gas }] });
      return BigInt(promises.length - 1);
    },
    promise_then(idx, aLen, aPtr, fLen, fPtr, argLen, argPtr, amountPtr, gas) {
      if (Number(idx) >= promises.length) throw new HostPanic('invalid promise index');
      promises.push({ receiver: str(aPtr, aLen), after: Number(idx), actions: [{
        type: 'function_call', method: str(fPtr, fLen), args: str(argPtr, argLen), deposit: readU128(mem, amountPtr), gas }] });
      return BigInt(promises.length - 1);
    },
    promise_batch_create(aLen, aPtr) { promises.push({ receiver: str(aPtr, aLen), after: null, actions: [] }); return BigInt(promises.length - 1); },
    promise_batch_then(idx, aLen, aPtr) { promises.push({ receiver: str(aPtr, aLen), after: Number(idx), actions: [] }); return BigInt(promises.length - 1); },
    promise_batch_action_function_call(idx, fLen, fPtr, argLen, argPtr, amountPtr, gas) {
      promises[Number(idx)].actions.push({ type: 'function_call', method: str(fPtr, fLen), args: str(argPtr, argLen), deposit: readU128(mem, amountPtr), gas });
    },
    promise_batch_action_transfer(idx, amountPtr) { promises[Number(idx)].actions.push({ type: 'transfer', amount: readU128(mem, amountPtr) }); },
    promise_batch_action_add_key_with_function_call(idx, pkLen, pkPtr, nonce, allowancePtr, rLen, rPtr, mLen, mPtr) {
      const pk = bytes(pkPtr, pkLen);
      if (!(pk.length === 33 && pk[0] === 0)) throw new HostPanic('invalid public key');
      promises[Number(idx)].actions.push({ type: 'add_key', publicKey: hex(pk), nonce, allowance: readU128(mem, allowancePtr),
        receiver: str(rPtr, rLen), methods: str(mPtr, mLen) });
    },
    promise_batch_action_delete_key(idx, pkLen, pkPtr) { promises[Number(idx)].actions.push({ type: 'delete_key', publicKey: hex(bytes(pkPtr, pkLen)) }); },
    promise_results_count() { return BigInt((context.promiseResults ?? []).length); },
    promise_result(i, id) {
      const r = (context.promiseResults ?? [])[Number(i)];
      if (!r) throw new HostPanic('invalid promise result index');
      if (r.status === 'ok') { setReg(id, enc.encode(r.data)); return 1n; }
      return 2n;
    },
    promise_return(idx) { returnedPromise = Number(idx); },
    storage_write(kLen, kPtr, vLen, vPtr, id) {
      const k = hex(bytes(kPtr, kLen));
      const old = account.storage.get(k);
      account.storage.set(k, bytes(vPtr, vLen));
      if (old) { setReg(id, old); return 1n; }
      return 0n;
    },
    storage_read(kLen, kPtr, id) {
      const v = account.storage.get(hex(bytes(kPtr, kLen)));
      if (!v) return 0n;
      setReg(id, v);
      return 1n;
    },
    storage_remove(kLen, kPtr, id) {
      const k = hex(bytes(kPtr, kLen));
      const v = account.storage.get(k);
      if (!v) return 0n;
      account.storage.delete(k);
      setReg(id, v);
      return 1n;
    },
    storage_has_key(kLen, kPtr) { return account.storage.has(hex(bytes(kPtr, kLen))) ? 1n : 0n; },
  };
  const instance = new WebAssembly.Instance(account.module, { env });
  mem = instance.exports.memory;
  try {
    instance.exports[method]();
    const value = returned === null ? null : dec.decode(returned);
    return { ok: true, value, json: value === null ? null : JSON.parse(value), promises, logs, returnedPromise };
  } catch (e) {
    account.storage = snapshot;
    return { ok: false, error: e instanceof HostPanic ? e.message : `wasm trap: ${e.message}`, promises: [], logs };
  }
}
