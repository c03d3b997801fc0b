// Validates the local NEAR chain's JSON-RPC responses against @near-js/jsonrpc-types (zod schemas generated
// from nearcore's OpenAPI spec). The schemas use camelCase keys, as the near-js JSON-RPC client converts the
// snake_case wire format; responses are converted the same way before validation.
// stdin: {url, accountId, publicKey, contractId, viewMethod, viewArgs (JSON text), blockHeight,
//         transactions: [{name, method: "send_tx"|"broadcast_tx_commit"|"broadcast_tx_async", signedTxBase64,
//                         experimental?: true (also check its EXPERIMENTAL_tx_status)}],
//         senderId}
// stdout: {checks: [{name, ok, issues}], broken: [{name, rejected}]}
import * as T from '@near-js/jsonrpc-types';
import { z } from 'zod';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));

let nextId = 1;
async function rpc(method, params) {
  const res = await fetch(input.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: String(nextId++), method, params }),
  });
  return await res.json();
}

const camel = k => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
function toCamel(v) {
  if (Array.isArray(v)) return v.map(toCamel);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), toCamel(x)]));
  return v;
}

const checks = [];
// expect: 'result' or 'error'; envelope: the JsonRpcResponseFor_… schema; result: the specific result schema.
function check(name, response, expect, envelope, result) {
  const issues = [];
  if (!(expect in response)) issues.push(`expected "${expect}", got ${JSON.stringify(response).slice(0, 300)}`);
  const data = toCamel(response);
  const e = envelope.safeParse(data);
  if (!e.success) issues.push(...e.error.issues.map(i => `envelope ${i.path.join('.')}: ${i.message}`));
  if (result && expect === 'result' && 'result' in data) {
    const r = result.safeParse(data.result);
    if (!r.success) issues.push(...r.error.issues.map(i => `result ${i.path.join('.')}: ${i.message}`));
  }
  checks.push({ name, ok: issues.length === 0, issues });
  return response;
}

const at = z.object({ blockHash: T.CryptoHashSchema(), blockHeight: z.number() });
const withBlock = s => z.intersection(s, at);
const TxEnvelope = T.JsonRpcResponseFor_RpcTransactionResponseAnd_RpcErrorSchema();
const QueryEnvelope = T.JsonRpcResponseFor_RpcQueryResponseAnd_RpcErrorSchema();
const Final = z.intersection(T.FinalExecutionOutcomeViewSchema(), z.object({ finalExecutionStatus: T.TxExecutionStatusSchema() }));
const FinalWithReceipts = z.intersection(T.FinalExecutionOutcomeWithReceiptViewSchema(), z.object({ finalExecutionStatus: T.TxExecutionStatusSchema() }));

const status = check('status', await rpc('status', []), 'result', T.JsonRpcResponseFor_RpcStatusResponseAnd_RpcErrorSchema(), T.RpcStatusResponseSchema());
check('block finality', await rpc('block', { finality: 'final' }), 'result', T.JsonRpcResponseFor_RpcBlockResponseAnd_RpcErrorSchema(), T.RpcBlockResponseSchema());
check('block height', await rpc('block', { block_id: input.blockHeight }), 'result', T.JsonRpcResponseFor_RpcBlockResponseAnd_RpcErrorSchema(), T.RpcBlockResponseSchema());
check('gas_price', await rpc('gas_price', [null]), 'result', T.JsonRpcResponseFor_RpcGasPriceResponseAnd_RpcErrorSchema(), T.RpcGasPriceResponseSchema());

const q = (request_type, extra) => rpc('query', { request_type, finality: 'final', ...extra });
check('query view_account', await q('view_account', { account_id: input.accountId }), 'result', QueryEnvelope, withBlock(T.AccountViewSchema()));
check('query view_access_key', await q('view_access_key', { account_id: input.accountId, public_key: input.publicKey }), 'result', QueryEnvelope, withBlock(T.AccessKeyViewSchema()));
check('query view_access_key_list', await q('view_access_key_list', { account_id: input.accountId }), 'result', QueryEnvelope, withBlock(T.AccessKeyListSchema()));
check('query call_function', await q('call_function', { account_id: input.contractId, method_name: input.viewMethod, args_base64: Buffer.from(input.viewArgs).toString('base64') }), 'result', QueryEnvelope, withBlock(T.CallResultSchema()));
const state = check('query view_state', await q('view_state', { account_id: input.contractId, prefix_base64: '' }), 'result', QueryEnvelope, withBlock(T.ViewStateResultSchema()));
if (!(state.result?.values?.length > 0)) checks.push({ name: 'query view_state non-empty', ok: false, issues: ['no state values'] });
check('query view_code', await q('view_code', { account_id: input.contractId }), 'result', QueryEnvelope, withBlock(T.ContractCodeViewSchema()));
// A failed view call: the structured FunctionCallError in cause.info.error must be nearcore's FunctionCallError.
const failedView = check('query error CONTRACT_EXECUTION_ERROR', await q('call_function', { account_id: input.contractId, method_name: 'no_such_view', args_base64: '' }), 'error', QueryEnvelope);
{
  const issues = [];
  if (failedView.error?.cause?.name !== 'CONTRACT_EXECUTION_ERROR') issues.push(`cause ${JSON.stringify(failedView.error?.cause?.name)}`);
  const parsed = T.FunctionCallErrorSchema().safeParse(toCamel(failedView.error?.cause?.info?.error));
  if (!parsed.success) issues.push(...parsed.error.issues.map(i => `info.error ${i.path.join('.')}: ${i.message}`));
  checks.push({ name: 'query error CONTRACT_EXECUTION_ERROR info.error', ok: issues.length === 0, issues });
}
check('query error UNKNOWN_ACCOUNT', await q('view_account', { account_id: 'nobody.test.near' }), 'error', QueryEnvelope);
check('error METHOD_NOT_FOUND', await rpc('no_such_method', {}), 'error', T.JsonRpcResponseFor_RpcStatusResponseAnd_RpcErrorSchema());

let firstHash = null;
const experimental = [];
for (const tx of input.transactions) {
  if (tx.method === 'broadcast_tx_async') {
    check(tx.name, await rpc('broadcast_tx_async', [tx.signedTxBase64]), 'result', T.JsonRpcResponseFor_CryptoHashAnd_RpcErrorSchema(), T.CryptoHashSchema());
    continue;
  }
  const params = tx.method === 'send_tx' ? { signed_tx_base64: tx.signedTxBase64, wait_until: 'FINAL' } : [tx.signedTxBase64];
  const response = check(tx.name, await rpc(tx.method, params), 'result', TxEnvelope, Final);
  firstHash ??= response.result?.transaction?.hash;
  if (tx.experimental) experimental.push({ name: tx.name, hash: response.result?.transaction?.hash });
}
check('tx', await rpc('tx', { tx_hash: firstHash, sender_account_id: input.senderId, wait_until: 'FINAL' }), 'result', TxEnvelope, Final);
check('EXPERIMENTAL_tx_status', await rpc('EXPERIMENTAL_tx_status', { tx_hash: firstHash, sender_account_id: input.senderId }), 'result', TxEnvelope, FinalWithReceipts);
// Transactions with several receipts: every receipt outcome has its receipt view, in the same order.
for (const tx of experimental) {
  const response = check(`EXPERIMENTAL_tx_status ${tx.name}`, await rpc('EXPERIMENTAL_tx_status', { tx_hash: tx.hash, sender_account_id: input.senderId, wait_until: 'FINAL' }), 'result', TxEnvelope, FinalWithReceipts);
  const outcomeIds = (response.result?.receipts_outcome ?? []).map(o => o.id);
  const receiptIds = (response.result?.receipts ?? []).map(r => r.receipt_id);
  const issues = [];
  if (outcomeIds.length < 2) issues.push(`expected several receipts, got ${outcomeIds.length}`);
  if (JSON.stringify(outcomeIds) !== JSON.stringify(receiptIds)) issues.push(`receipts ${JSON.stringify(receiptIds)} != receipts_outcome ${JSON.stringify(outcomeIds)}`);
  checks.push({ name: `EXPERIMENTAL_tx_status ${tx.name} receipts match outcomes`, ok: issues.length === 0, issues });
}

// The validator must be able to fail: deliberately broken copies of real responses are rejected.
const broken = [];
const statusResult = toCamel(status.result);
delete statusResult.syncInfo.latestBlockHash;
broken.push({ name: 'status without sync_info.latest_block_hash', rejected: !T.RpcStatusResponseSchema().safeParse(statusResult).success });
const txResult = toCamel((await rpc('tx', { tx_hash: firstHash, sender_account_id: input.senderId })).result);
txResult.transactionOutcome.outcome.gasBurnt = 'lots';
broken.push({ name: 'tx with a string gas_burnt', rejected: !Final.safeParse(txResult).success });

process.stdout.write(JSON.stringify({ checks, broken }));
