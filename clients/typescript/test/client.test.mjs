// The TypeScript client against a running keystore (started by Keystore.Tests' TypeScriptClientTests, or by ./run.sh):
// KEYSTORE_URL, KEYSTORE_CREDENTIALS (a NEAR CLI credentials file of an owner), KEYSTORE_BITCOIN_NETWORK (regtest by default).
// Every signature is checked with ethers, @scure/btc-signer, @noble/curves and @solana/web3.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transaction as EthTransaction, verifyMessage, verifyTypedData } from 'ethers';
import * as btc from '@scure/btc-signer';
import { base58, base64, hex } from '@scure/base';
import { ed25519 } from '@noble/curves/ed25519.js';
import { Keypair, PublicKey, SystemProgram, Transaction, TransactionMessage, VersionedTransaction } from '@solana/web3.js';
import { KeyPair } from 'near-api-js';
import { ApprovalPending, KeystoreClient, KeystoreProblem, loadCredentials } from '../dist/index.js';

const url = process.env.KEYSTORE_URL ?? 'http://127.0.0.1:8080';
const { accountId, keyPair } = await loadCredentials(process.env.KEYSTORE_CREDENTIALS);
const network = process.env.KEYSTORE_BITCOIN_NETWORK ?? 'regtest';
const client = new KeystoreClient({ url, accountId, keyPair });
const blockhash = base58.encode(new Uint8Array(32).fill(9));

test('an EIP-1559 TransactionRequest comes back as a raw transaction signed by the account address', async () => {
  const { address } = await client.keys('ethereum');
  const request = { type: 2, chainId: 11155111n, nonce: 0, to: '0x000000000000000000000000000000000000dEaD', value: 10n ** 16n,
    gasLimit: 21000n, maxFeePerGas: 30n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n };
  const signed = await client.signEthereumTransaction(request);
  const parsed = EthTransaction.from(signed.signedTransaction);
  assert.equal(parsed.from, address);
  assert.equal(parsed.hash, signed.hash);
  assert.equal(parsed.chainId, 11155111n);
  assert.equal(parsed.value, 10n ** 16n);
  assert.equal(parsed.to, request.to);
});

test('messages and typed data recover to the address', async () => {
  const { address } = await client.keys('ethereum', 1);
  assert.equal(verifyMessage('hello from the TypeScript client', await client.signEthereumMessage('hello from the TypeScript client', { index: 1 })), address);
  const typed = { types: { Mail: [{ name: 'contents', type: 'string' }] }, primaryType: 'Mail', domain: { name: 'Example', chainId: 1 }, message: { contents: 'hi' } };
  const withDomain = { ...typed, types: { EIP712Domain: [{ name: 'name', type: 'string' }, { name: 'chainId', type: 'uint256' }], ...typed.types } };
  const signature = await client.signTypedData(withDomain, { index: 1 });
  assert.equal(verifyTypedData(typed.domain, typed.types, typed.message, signature), address);
});

test('a PSBT is signed and, on request, finalized into a raw transaction', async () => {
  const nets = { mainnet: btc.NETWORK, testnet: btc.TEST_NETWORK, regtest: { ...btc.TEST_NETWORK, bech32: 'bcrt' } };
  const { publicKey, address } = await client.keys('bitcoin');
  const xonly = base58.decode(publicKey.slice('secp256k1:'.length)).slice(0, 32);
  const ours = btc.p2tr(xonly, undefined, nets[network]);
  assert.equal(ours.address, address);
  const tx = new btc.Transaction();
  tx.addInput({ txid: hex.encode(new Uint8Array(32).fill(1)), index: 0, witnessUtxo: { script: ours.script, amount: 50_000n } });
  tx.addOutputAddress(address, 40_000n, nets[network]);
  const signed = await client.signPsbt(tx.toPSBT(0), { finalize: true });
  assert.deepEqual(signed.signedInputs, [0]);
  const final = btc.Transaction.fromRaw(hex.decode(signed.rawTransaction), { allowUnknownOutputs: true });
  assert.equal(final.inputsLength, 1);
  assert.equal(final.getInput(0).finalScriptWitness[0].length, 64);
});

test('a web3.js Transaction and VersionedTransaction are signed in the fee payer slot', async () => {
  const { address } = await client.keys('solana');
  const payer = new PublicKey(address);
  const to = Keypair.fromSeed(new Uint8Array(32).fill(7)).publicKey;
  const legacy = new Transaction({ feePayer: payer, recentBlockhash: blockhash }).add(SystemProgram.transfer({ fromPubkey: payer, toPubkey: to, lamports: 5000 }));
  const signedLegacy = await client.signSolanaTransaction(legacy);
  assert.ok(signedLegacy.transaction instanceof Transaction);
  assert.ok(signedLegacy.transaction.verifySignatures());
  assert.equal(base58.encode(signedLegacy.transaction.signature), signedLegacy.signature);

  const message = new TransactionMessage({ payerKey: payer, recentBlockhash: blockhash,
    instructions: [SystemProgram.transfer({ fromPubkey: payer, toPubkey: to, lamports: 5000 })] }).compileToV0Message();
  const signedV0 = await client.signSolanaTransaction(new VersionedTransaction(message));
  assert.ok(signedV0.transaction instanceof VersionedTransaction);
  assert.ok(ed25519.verify(signedV0.transaction.signatures[0], signedV0.transaction.message.serialize(), payer.toBytes()));

  const signature = await client.signSolanaMessage(message.serialize());
  assert.ok(ed25519.verify(base58.decode(signature), message.serialize(), payer.toBytes()));
});

test('problems are KeystoreProblem with the stable type, and a stranger key is refused', async () => {
  await assert.rejects(client.signEthereumTransaction({ chainId: 1n, nonce: 0, gasLimit: 1n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n, to: '0x000000000000000000000000000000000000dEaD' }),
    e => e instanceof KeystoreProblem && e.status === 400 && e.slug === 'invalid-transaction' && typeof e.traceId === 'string');
  const stranger = new KeystoreClient({ url, accountId, keyPair: KeyPair.fromRandom('ed25519') });
  await assert.rejects(stranger.signEthereumMessage('x'), e => e instanceof KeystoreProblem && e.status === 403 && e.slug === 'not-account-owner' && !e.retryable);
  await assert.rejects(client.keys('dogecoin'), e => e instanceof KeystoreProblem && e.slug === 'unknown-chain');
  await assert.rejects(client.signEthereumTransaction({ chainId: 1n }), /needs nonce, gasLimit/);
});

const dailyHalfEth = { kind: 'agent', version: 1, rules: [{ id: 'payments', chains: ['ethereum'], operations: ['transaction'],
  limits: { 'eth:1': { perTransaction: '200000000000000000', daily: '500000000000000000' } } }] };
const transfer = (value, nonce) => ({ chainId: 1n, nonce, gasLimit: 21000n, maxFeePerGas: 20_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n,
  to: '0x742d35Cc6634C0532925a3b844Bc454e4438f44e', value });

test('agents and the account policy are managed through the client and bind what the agent signs', async () => {
  const agentKey = KeyPair.fromRandom('ed25519');
  const publicKey = agentKey.getPublicKey().toString();
  const created = await client.createAgent({ publicKey, name: 'payments-bot', expiresAt: new Date(Date.now() + 86_400_000), policy: dailyHalfEth });
  assert.equal(created.publicKey, publicKey);
  assert.equal(created.active, true);
  assert.ok((await client.listAgents()).some(a => a.publicKey === publicKey));
  assert.equal((await client.updateAgent(publicKey, { name: 'renamed' })).name, 'renamed');
  assert.equal((await client.getAgent(publicKey)).name, 'renamed');

  const agent = new KeystoreClient({ url, accountId, keyPair: agentKey });
  // 0.19958 ETH and its fee (21,000 gas × 20 gwei = 0.00042 ETH) are the 0.2 ETH a transaction may spend.
  const atLimit = 2n * 10n ** 17n - 21_000n * 20_000_000_000n;
  const allowed = await agent.dryRunEthereumTransaction(transfer(atLimit, 0));
  assert.equal(allowed.decision, 'allow');
  assert.equal(allowed.caller, 'agent');
  assert.equal(allowed.windows.find(w => w.rule === 'window:eth:1:daily').after, '200000000000000000');
  const { address } = await client.keys('ethereum');
  const signed = await agent.signEthereumTransaction(transfer(atLimit, 0));
  assert.equal(EthTransaction.from(signed.signedTransaction).from, address);
  const denied = await agent.dryRunEthereumTransaction(transfer(3n * 10n ** 17n, 1));
  assert.deepEqual([denied.decision, denied.rule], ['deny', 'per-transaction']);
  await assert.rejects(agent.signEthereumTransaction(transfer(3n * 10n ** 17n, 1)),
    e => e instanceof KeystoreProblem && e.status === 403 && e.slug === 'policy-denied' && e.rule === 'per-transaction');
  await assert.rejects(agent.listAgents(), e => e instanceof KeystoreProblem && e.slug === 'owner-only');

  assert.equal((await client.setPolicy({ frozen: true })).frozen, true);
  assert.equal((await client.getPolicy()).frozen, true);
  const frozen = await client.dryRun('ethereum', { message: 'x' });
  assert.deepEqual([frozen.decision, frozen.rule, frozen.caller], ['deny', 'account-freeze', 'owner']);
  await assert.rejects(client.signEthereumMessage('x'), e => e instanceof KeystoreProblem && e.rule === 'account-freeze');
  assert.equal((await client.setPolicy({ frozen: false })).frozen, false);

  const revoked = await client.revokeAgent(publicKey);
  assert.equal(revoked.revoked, true);
  await assert.rejects(agent.signEthereumTransaction(transfer(1n, 2)), e => e instanceof KeystoreProblem && e.status === 403);
  await assert.rejects(client.getAgent(publicKey), e => e instanceof KeystoreProblem && e.status === 404 && e.slug === 'agent-not-found');
});

test('a batch answers each item in order, an Idempotency-Key replays its answer once signed, and the audit log shows one signature', async () => {
  const { address } = await client.keys('ethereum', 4);
  const items = await client.signBatch('ethereum', [{ index: 4, message: 'one', encoding: 'utf8' }, { transaction: { chainId: '1' } }, { index: 4, message: 'three', encoding: 'utf8' }]);
  assert.equal(items.length, 3);
  assert.equal(verifyMessage('one', items[0].result.signature), address);
  assert.ok(items[1].problem instanceof KeystoreProblem && items[1].problem.slug === 'invalid-transaction' && items[1].problem.status === 400);
  assert.equal(verifyMessage('three', items[2].result.signature), address);

  const before = (await client.auditHead()).sequence;
  const idempotencyKey = `payout-${Date.now()}`;
  const first = await client.signEthereumTransaction(transfer(1000n, 9), { idempotencyKey });
  const again = await client.signEthereumTransaction(transfer(1000n, 9), { idempotencyKey });
  assert.deepEqual(again, first);
  await assert.rejects(client.signEthereumTransaction(transfer(2000n, 9), { idempotencyKey }),
    e => e instanceof KeystoreProblem && e.status === 409 && e.slug === 'idempotency-conflict');
  const page = await client.audit({ after: before });
  assert.equal(page.entries.filter(e => e.entry.kind === 'signed').length, 1);
  for (const e of page.entries) assert.equal(createHash('sha256').update(e.content).digest('hex'), e.contentHash);
  const head = await client.auditHead();
  const auditKey = base58.decode(head.auditPublicKey.slice('ed25519:'.length));
  for (const e of page.entries) assert.ok(ed25519.verify(hex.decode(e.signature), hex.decode(e.hash), auditKey));
  await assert.rejects(client.audit({ limit: 5000 }), e => e instanceof KeystoreProblem && e.slug === 'invalid-request');
});

test('an export through the client decrypts with age to the account keys', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'keystore-ts-age-'));
  try {
    const identity = join(folder, 'key.txt');
    execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', identity], { encoding: 'utf8' }).trim();
    const exported = await client.export(recipient, ['mnemonic', { chain: 'ethereum', index: 2 }]);
    assert.deepEqual(exported.contents, ['mnemonic', 'ethereum/2']);
    const plain = JSON.parse(execFileSync('age', ['--decrypt', '-i', identity], { input: exported.armored, encoding: 'utf8' }));
    assert.equal(plain.account, accountId);
    assert.equal(plain.mnemonic.split(' ').length, 24);
    assert.equal(plain.keys[0].address, (await client.keys('ethereum', 2)).address);
    await assert.rejects(client.export('age1notarecipient', ['mnemonic']), e => e instanceof KeystoreProblem && e.slug === 'invalid-recipient');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a 202 pending answer is ApprovalPending, not a parse error', async () => {
  const answering = (status, body) => async (_url, init) => {
    assert.match(init.headers.authorization, /^NEAR /);
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };
  // The keystore's 202: the approval request it opened (src/Keystore/Approvals/ApprovalView).
  const request = { id: 'Q2hhbmdlIG1lIHBsZWFzZQ', account: accountId, agent: 'ed25519:6E8s', chain: 'ethereum', state: 'pending',
    payloadHash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', rule: 'approval', required: 2, approvers: ['bob.near', 'dave.near'],
    approvals: [], rejections: [], pendingApprovers: ['bob.near', 'dave.near'], createdAt: '2026-12-02T10:00:00.0000000+00:00',
    expiresAt: '2026-12-03T10:00:00.0000000+00:00', finishedAt: null };
  const held = new KeystoreClient({ url: 'http://keystore.invalid', accountId, keyPair, fetch: answering(202, JSON.stringify(request)) });
  await assert.rejects(held.signEthereumMessage('x'), e => e instanceof ApprovalPending && e.requestId === request.id
    && e.payloadHash === request.payloadHash && e.request.rule === 'approval' && e.request.pendingApprovers.length === 2);
  const empty = new KeystoreClient({ url: 'http://keystore.invalid', accountId, keyPair, fetch: answering(202, '') });
  await assert.rejects(empty.signEthereumMessage('x'), e => e instanceof KeystoreProblem && e.status === 202);
});
