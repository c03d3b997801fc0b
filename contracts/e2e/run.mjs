// End-to-end run of the built wasm (contracts/out/*.wasm) on the node host of near-host.mjs:
// governance, attested registration with the local test PKI, master-secret request, and a
// binding that travels DAO → chain-keys → DAO.get_worker → chain-keys callback → DAO callback,
// each receipt executed in turn. Also the real Intel sample quote through the wasm DCAP code.
import { readFileSync } from 'node:fs';
import { Account, call } from './near-host.mjs';

const here = new URL('.', import.meta.url).pathname;
const vec = (f) => `${here}../dcap/tests/vectors/${f}`;
const expected = JSON.parse(readFileSync(vec('local/expected.json')));
const T = BigInt(expected.verify_at) * 1_000_000_000n;
const DAO = 'dao.test.near', KEYS = 'keys.test.near', MPC = 'v1.signer-prod.testnet';
const [ALICE, BOB, CAROL] = ['alice.test.near', 'bob.test.near', 'carol.test.near'];

let passed = 0, failed = 0;
function check(name, cond, detail) {
  if (cond) { passed++; console.log(`ok   ${name}`); }
  else { failed++; console.log(`FAIL ${name}${detail === undefined ? '' : ': ' + JSON.stringify(detail)}`); }
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function b58(bytes) {
  let n = BigInt('0x' + (Buffer.from(bytes).toString('hex') || '0'));
  let s = '';
  while (n > 0n) { s = B58[Number(n % 58n)] + s; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; s = '1' + s; }
  return s;
}

const workerKey = Buffer.from(expected.worker_public_key_hex, 'hex');
const workerPk = `ed25519:${b58(workerKey)}`;
const workerBorsh = new Uint8Array([0, ...workerKey]);
const os = { mrtd: expected.mrtd, rtmr0: expected.rtmr0, rtmr1: expected.rtmr1, rtmr2: expected.rtmr2, key_provider_digest: expected.key_provider_digest };
const appCompose = readFileSync(vec('local/app_compose.json'), 'utf8');
const ctx = (over) => ({ blockTimestampNs: T, blockHeight: 1000, ...over });
const j = (o) => JSON.stringify(o);

const dao = new Account(DAO, `${here}../out/tee_dao.wasm`);
const keys = new Account(KEYS, `${here}../out/chain_keys.wasm`);

let r = call(dao, 'new', ctx({ predecessor: DAO, input: j({
  council: [ALICE, BOB, CAROL], threshold: 2, mpc_contract_id: MPC, ckd_domain_id: 2, ckd_path: 'keystore',
  chain_keys_contract_id: KEYS, root_ca_der_hex: readFileSync(vec('local/root_ca.der')).toString('hex') }) }));
check('tee-dao new', r.ok, r.error);
r = call(keys, 'new', ctx({ predecessor: KEYS, input: j({ dao_contract_id: DAO }) }));
check('chain-keys new', r.ok, r.error);

r = call(dao, 'propose', ctx({ predecessor: ALICE, input: j({ kind: 'add_os_measurement', ...os }) }));
check('propose add_os_measurement stays open', r.ok && r.json.status === 'open', r.error ?? r.json);
r = call(dao, 'vote', ctx({ predecessor: ALICE, input: j({ proposal_id: 0 }) }));
check('double vote refused', !r.ok && r.error === 'already voted', r.error);
r = call(dao, 'vote', ctx({ predecessor: 'mallory.test.near', input: j({ proposal_id: 0 }) }));
check('non-member vote refused', !r.ok && r.error === 'only council members may do this', r.error);
r = call(dao, 'vote', ctx({ predecessor: BOB, input: j({ proposal_id: 0 }) }));
check('second vote executes', r.ok && r.json.status === 'executed', r.error ?? r.json);
r = call(dao, 'propose', ctx({ predecessor: ALICE, input: j({ kind: 'add_compose_hash', compose_hash: expected.compose_hash }) }));
r = call(dao, 'vote', ctx({ predecessor: BOB, input: j({ proposal_id: 1 }) }));
check('add_compose_hash executes', r.ok && r.json.status === 'executed', r.error ?? r.json);

const registration = (pk, quoteFile, collateralFile, events) => j({
  public_key: pk,
  quote_hex: readFileSync(vec(quoteFile)).toString('hex'),
  collateral: JSON.parse(readFileSync(vec(collateralFile))),
  event_log: events,
  app_compose: appCompose,
});
const events = JSON.parse(readFileSync(vec('local/event_log.json')));
let t0 = process.hrtime.bigint();
r = call(dao, 'register_worker_key', ctx({ predecessor: 'relayer.test.near', input: registration(workerPk, 'local/quote.bin', 'local/collateral.json', events) }));
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
check(`register_worker_key (wasm DCAP, ${ms.toFixed(0)} ms in node)`, r.ok && r.json.tcb_status === 'UpToDate', r.error ?? r.json);
const addKey = r.ok && r.promises[0].actions[0];
check('access key added to the DAO account for the worker methods',
  addKey && addKey.type === 'add_key' && addKey.publicKey === Buffer.from(workerBorsh).toString('hex') &&
  addKey.receiver === DAO && addKey.methods === 'request_master_secret,register_binding,worker_heartbeat,anchor_audit_head' && addKey.allowance === 10n ** 24n, addKey);

const badEvents = JSON.parse(JSON.stringify(events));
badEvents[4].event_payload = 'cd';
r = call(dao, 'register_worker_key', ctx({ predecessor: 'relayer.test.near', input: registration(workerPk, 'local/quote.bin', 'local/collateral.json', badEvents) }));
check('replay mismatch refused', !r.ok && r.error.startsWith('RTMR3 replay mismatch'), r.error);
r = call(dao, 'register_worker_key', ctx({ predecessor: 'relayer.test.near', input: registration(`ed25519:${b58(new Uint8Array(32).fill(9))}`, 'local/quote.bin', 'local/collateral.json', events) }));
check('foreign key refused by report_data', !r.ok && r.error.startsWith('report_data does not bind'), r.error);

const asWorker = (over) => ctx({ predecessor: DAO, signer: DAO, signerPk: workerBorsh, ...over });
const appKey = 'bls12381g1:6KtVVcAAGacrjNGePN8bp3KV6fYGrw1rFsyc7cVJCqR16Zc2ZFg3HX3hSZxSfv1oH6';
r = call(dao, 'request_master_secret', asWorker({ input: j({ app_public_key: appKey }) }));
const mpcCall = r.ok && r.promises[0].actions[0];
check('request_master_secret calls the MPC with 1 yocto',
  mpcCall && r.promises[0].receiver === MPC && mpcCall.method === 'request_app_private_key' && mpcCall.deposit === 1n &&
  mpcCall.args === j({ request: { app_public_key: appKey, derivation_path: 'keystore', domain_id: 2 } }) && r.returnedPromise === 1,
  r.error ?? r.promises);
const answer = j({ big_y: 'bls12381g1:Y', big_c: 'bls12381g1:C' });
r = call(dao, 'on_master_secret', ctx({ predecessor: DAO, promiseResults: [{ status: 'ok', data: answer }] }));
check('on_master_secret returns {big_y, big_c}', r.ok && r.value === answer, r.error ?? r.value);
r = call(dao, 'on_master_secret', ctx({ predecessor: DAO, promiseResults: [{ status: 'failed' }] }));
check('MPC failure is a clear panic', !r.ok && r.error === 'MPC request_app_private_key failed', r.error);
r = call(dao, 'request_master_secret', asWorker({ signerPk: new Uint8Array(33), input: j({ app_public_key: appKey }) }));
check('unregistered signer refused', !r.ok && r.error === 'signer key is not a registered worker', r.error);

// A Solana binding through both contracts, receipt by receipt.
const solKey = new Uint8Array(32).fill(3);
const binding = { account_id: 'user.test.near', chain: 'solana', index: 0, public_key: `ed25519:${b58(solKey)}`, address: b58(solKey) };
r = call(dao, 'register_binding', asWorker({ input: j(binding) }));
const fwd = r.ok && r.promises[0].actions[0];
check('register_binding forwards to chain-keys with the storage deposit',
  fwd && r.promises[0].receiver === KEYS && fwd.method === 'register_tee_key' && fwd.deposit === 2n * 10n ** 22n, r.error ?? r.promises);
r = call(keys, 'register_tee_key', asWorker({ deposit: fwd.deposit, input: fwd.args }));
check('chain-keys asks the DAO about the signer key', r.ok && r.promises[0].receiver === DAO && r.promises[0].actions[0].method === 'get_worker', r.error ?? r.promises);
const getWorker = r.promises[0].actions[0];
const callback = r.promises[1].actions[0];
const gw = call(dao, 'get_worker', ctx({ predecessor: KEYS, input: getWorker.args }));
check('DAO get_worker vouches for the worker', gw.ok && gw.json.measurements_approved === true, gw.error ?? gw.json);
r = call(keys, 'on_worker_checked', ctx({ predecessor: KEYS, blockHeight: 1234, input: callback.args, promiseResults: [{ status: 'ok', data: gw.value }] }));
check('binding stored with its TDX attestation', r.ok && r.json.ok && r.json.binding.tee_attestation.rtmr3 === expected.rtmr3 &&
  r.json.binding.tee_attestation.verified_at === 1234 && r.json.binding.tee_attestation.worker_public_key === workerPk, r.error ?? r.json);
const refund = r.ok && r.promises.find((p) => p.actions[0].type === 'transfer');
check('unused deposit refunded to the DAO', refund && refund.receiver === DAO && refund.actions[0].amount === fwd.deposit - BigInt(r.json.storage_cost), r.promises);
const outcome = r.value;
r = call(dao, 'on_binding_registered', ctx({ predecessor: DAO, promiseResults: [{ status: 'ok', data: outcome }] }));
check('DAO callback returns the binding', r.ok && r.json.address === binding.address, r.error ?? r.json);
r = call(keys, 'lookup_address', ctx({ predecessor: ALICE, input: j({ address: binding.address }) }));
check('lookup_address finds the account', r.ok && r.json.account_id === 'user.test.near', r.error ?? r.json);
r = call(keys, 'count', ctx({ predecessor: ALICE }));
check('count is 1', r.ok && r.json === 1, r.error ?? r.json);
r = call(keys, 'register_tee_key', asWorker({ predecessor: 'mallory.test.near', deposit: 10n ** 22n, input: fwd.args }));
check('chain-keys refuses callers other than the DAO', !r.ok && r.error === 'only the tee-dao may register keys', r.error);

// An Ethereum binding: chain-keys recomputes the EIP-55 address with the runtime's keccak256.
// Public key of private key 1 (the secp256k1 generator) and its well-known address.
const G = Buffer.from('79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8', 'hex');
const eth = { account_id: 'user.test.near', chain: 'ethereum', index: 0, public_key: `secp256k1:${b58(G)}`, address: '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf' };
r = call(keys, 'register_tee_key', asWorker({ deposit: 10n ** 22n, input: j(eth) }));
check('ethereum EIP-55 address accepted', r.ok && r.promises[0].actions[0].method === 'get_worker', r.error);
const ethCb = r.ok && r.promises[1].actions[0];
r = call(keys, 'on_worker_checked', ctx({ predecessor: KEYS, input: ethCb.args, promiseResults: [{ status: 'ok', data: gw.value }] }));
check('ethereum binding stored', r.ok && r.json.ok, r.error ?? r.json);
r = call(keys, 'register_tee_key', asWorker({ deposit: 10n ** 22n, input: j({ ...eth, index: 1, address: eth.address.toLowerCase() }) }));
check('non-checksummed ethereum address refused', !r.ok && r.error.startsWith('address does not match public_key'), r.error);
r = call(keys, 'get_bindings', ctx({ predecessor: ALICE, input: j({ account_id: 'user.test.near' }) }));
check('get_bindings lists both bindings', r.ok && r.json.length === 2 && r.json[1].chain === 'ethereum', r.error ?? r.json);

// Revocation marks the set revoked in one step: the worker is refused at once, its key goes when pruned.
r = call(dao, 'propose', ctx({ predecessor: BOB, input: j({ kind: 'remove_os_measurement', ...os }) }));
r = call(dao, 'vote', ctx({ predecessor: CAROL, input: j({ proposal_id: 2 }) }));
check('revocation is one step: no per-worker action, one revocation log line', r.ok && r.promises.length === 0 && r.logs.length === 2 &&
  r.logs[0].includes('revoked: 1 workers refused'), r.error ?? r.logs);
r = call(dao, 'request_master_secret', asWorker({ input: j({ app_public_key: 'bls12381g1:6KtVVcAAGacrjNGePN8bp3KV6fYGrw1rFsyc7cVJCqR16Zc2ZFg3HX3hSZxSfv1oH6' }) }));
check('revoked worker cannot ask for the master secret', !r.ok && r.error === "this worker's OS measurements were revoked", r.error);
const stale = call(dao, 'get_worker', ctx({ predecessor: KEYS, input: getWorker.args }));
r = call(keys, 'on_worker_checked', ctx({ predecessor: KEYS, input: callback.args, promiseResults: [{ status: 'ok', data: stale.value }] }));
check('chain-keys refuses a binding from a revoked worker', r.ok && r.json.ok === false && r.json.error === 'worker measurements are no longer approved', r.json);
r = call(dao, 'prune_workers', ctx({ predecessor: 'anyone.test.near', input: j({ limit: 10 }) }));
check('prune_workers deletes the worker access key', r.ok && r.json.pruned === 1 && r.promises.length === 1 && r.promises[0].actions[0].type === 'delete_key' &&
  r.promises[0].actions[0].publicKey === Buffer.from(workerBorsh).toString('hex') && r.logs.length === 1, r.error ?? r.promises);
const gone = call(dao, 'get_worker', ctx({ predecessor: KEYS, input: getWorker.args }));
r = call(keys, 'on_worker_checked', ctx({ predecessor: KEYS, input: callback.args, promiseResults: [{ status: 'ok', data: gone.value }] }));
check('pruned worker cannot bind', r.ok && r.json.ok === false && r.json.error === 'signer key is not a registered worker', r.json);

// The real Intel sample quote through the wasm DCAP code, Intel root embedded.
const intelDao = new Account('intel-dao.test.near', `${here}../out/tee_dao.wasm`);
call(intelDao, 'new', ctx({ predecessor: 'intel-dao.test.near', input: j({ council: [ALICE], threshold: 1, mpc_contract_id: MPC, ckd_domain_id: 2, ckd_path: 'keystore' }) }));
const sample = readFileSync(vec('dcap_qvl_tdx_quote.bin'));
const sampleKey = `ed25519:${b58(sample.subarray(568, 600))}`;
r = call(intelDao, 'register_worker_key', ctx({ predecessor: ALICE, blockTimestampNs: 1752919234n * 1_000_000_000n,
  input: registration(sampleKey, 'dcap_qvl_tdx_quote.bin', 'dcap_qvl_tdx_quote_collateral.json', []) }));
check('Intel sample quote passes wasm DCAP, stops at report_data', !r.ok && r.error.startsWith('report_data does not bind'), r.error);
r = call(intelDao, 'register_worker_key', ctx({ predecessor: ALICE, blockTimestampNs: 1752919234n * 1_000_000_000n + 40n * 86400n * 1_000_000_000n,
  input: registration(sampleKey, 'dcap_qvl_tdx_quote.bin', 'dcap_qvl_tdx_quote_collateral.json', []) }));
check('Intel sample collateral expired 40 days later', !r.ok && r.error.startsWith('quote verification failed') && r.error.includes('expired'), r.error);

console.log(`wasm e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
