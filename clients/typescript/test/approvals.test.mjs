// The TypeScript client's approval and webhook methods against a running keystore (started by Keystore.Tests'
// TypeScriptClientApprovalTests): KEYSTORE_URL, KEYSTORE_CREDENTIALS_DIR (NEAR CLI credentials files <account>.json of the
// owner, the approvers bob/carol/dave.near and erin.near, named nowhere), KEYSTORE_OWNER. The keystore allows loopback
// webhooks. Everything goes through clients: the owner's, the agent's, and each approver's own (its account, its key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Transaction as EthTransaction } from 'ethers';
import { KeyPair } from 'near-api-js';
import {
  ApprovalEnded, ApprovalPending, authorizationHeader, bodyMatchesPayloadHash, exactBody, KeystoreClient, KeystoreProblem, loadCredentials,
  payloadHashOf, verifyWebhookSignature,
} from '../dist/index.js';

const url = process.env.KEYSTORE_URL ?? 'http://127.0.0.1:8080';
const owner = process.env.KEYSTORE_OWNER;
const clientOf = async account => {
  const { accountId, keyPair } = await loadCredentials(join(process.env.KEYSTORE_CREDENTIALS_DIR, `${account}.json`));
  return new KeystoreClient({ url, accountId, keyPair });
};
const ownerClient = await clientOf(owner);
const [bob, carol, dave, erin] = await Promise.all(['bob.near', 'carol.near', 'dave.near', 'erin.near'].map(clientOf));

const policy = { kind: 'agent', version: 1, rules: [{ id: 'payments', chains: ['ethereum'], operations: ['transaction'],
  limits: { 'eth:1': { daily: '1000000000000000000' } },
  approvals: { required: 2, approvers: ['bob.near', 'carol.near', 'dave.near'], above: { 'eth:1': '100000000000000000' } } }] };
const recipient = '0x742d35Cc6634C0532925a3b844Bc454e4438f44e';
const transfer = (value, nonce) => ({ chainId: 1n, nonce, gasLimit: 21000n, maxFeePerGas: 20_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, to: recipient, value });
const aboveThreshold = 2n * 10n ** 17n;

async function newAgent() {
  const keyPair = KeyPair.fromRandom('ed25519');
  await ownerClient.createAgent({ publicKey: keyPair.getPublicKey().toString(), name: 'payments-bot', expiresAt: new Date(Date.now() + 86_400_000), policy });
  return { agent: new KeystoreClient({ url, accountId: owner, keyPair }), publicKey: keyPair.getPublicKey().toString(), keyPair };
}

async function held(agent, nonce) {
  try {
    await agent.signEthereumTransaction(transfer(aboveThreshold, nonce));
  } catch (e) {
    if (e instanceof ApprovalPending) return e;
    throw e;
  }
  assert.fail('the transfer was signed without approvals');
}

const problem = (status, slug) => e => e instanceof KeystoreProblem && e.status === status && e.slug === slug;

test('two of three approvers approve through their own clients and the agent fetches a transaction ethers recovers', async () => {
  const { agent, publicKey } = await newAgent();
  const pending = await held(agent, 0);
  assert.match(pending.requestId, /^[A-Za-z0-9_-]{22}$/);
  assert.equal(pending.request.state, 'pending');
  assert.equal(pending.request.agent, publicKey);
  assert.deepEqual(pending.request.pendingApprovers, ['bob.near', 'carol.near', 'dave.near']);

  // The approver reads the owner's request as itself, sees the exact body, and hashes it itself.
  const seen = await bob.getApproval(pending.requestId, { account: owner });
  assert.equal(seen.account, owner);
  assert.equal(seen.request.transaction.to, recipient);
  assert.equal(BigInt(seen.request.transaction.value), aboveThreshold);
  assert.equal(payloadHashOf(seen), pending.payloadHash);
  assert.ok(bodyMatchesPayloadHash(seen));

  const afterBob = await bob.approve(owner, pending.requestId, seen.payloadHash);
  assert.equal(afterBob.state, 'pending');
  assert.deepEqual(afterBob.pendingApprovers, ['carol.near', 'dave.near']);
  await assert.rejects(agent.waitForApprovalResult(pending.requestId, { intervalMs: 50, timeoutMs: 300 }), e => e.name === 'TimeoutError');

  const signed = await carol.approve(owner, pending.requestId, seen.payloadHash);
  assert.equal(signed.state, 'signed');

  const result = await agent.waitForApprovalResult(pending.requestId, { intervalMs: 50, timeoutMs: 30_000 });
  const tx = EthTransaction.from(result.signedTransaction);
  assert.equal(tx.from, (await agent.keys('ethereum')).address);
  assert.equal(tx.hash, result.hash);
  assert.equal(tx.to, recipient);
  assert.equal(tx.value, aboveThreshold);
  assert.equal(tx.chainId, 1n);

  await assert.rejects(dave.approve(owner, pending.requestId, seen.payloadHash), problem(409, 'approval-not-pending'));
  const kinds = (await ownerClient.audit({ agent: publicKey })).entries.map(e => e.entry.kind);
  assert.deepEqual(kinds, ['agent-added', 'pending', 'approved', 'approved', 'signed']);
});

test('a rejection ends the request and waiting for it throws ApprovalEnded; the owner lists page by page and cancels', async () => {
  const { agent, publicKey } = await newAgent();
  const rejectedOne = await held(agent, 1);
  const rejected = await dave.reject(owner, rejectedOne.requestId, rejectedOne.payloadHash);
  assert.equal(rejected.state, 'rejected');
  assert.deepEqual(rejected.rejections.map(r => r.account), ['dave.near']);
  await assert.rejects(agent.waitForApprovalResult(rejectedOne.requestId), e => e instanceof ApprovalEnded && e.state === 'rejected');

  const ids = [];
  for (const nonce of [10, 11, 12]) ids.push((await held(agent, nonce)).requestId);
  const listed = [];
  let cursor;
  do {
    const page = await ownerClient.listApprovals({ limit: 1, cursor });
    assert.ok(page.approvals.length <= 1);
    listed.push(...page.approvals);
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
  assert.deepEqual(listed.filter(a => a.agent === publicKey).map(a => a.id), ids);
  assert.ok(listed.every(a => a.request === undefined));

  const cancelled = await ownerClient.cancelApproval(ids[1]);
  assert.equal(cancelled.state, 'cancelled');
  await assert.rejects(bob.approve(owner, ids[1], cancelled.payloadHash), problem(409, 'approval-not-pending'));
  await assert.rejects(agent.waitForApprovalResult(ids[1]), e => e instanceof ApprovalEnded && e.state === 'cancelled');
  await assert.rejects(agent.cancelApproval(ids[0]), problem(403, 'owner-only'));
  // An approver's client cancels on its own account only, where the request is not.
  await assert.rejects(bob.cancelApproval(ids[0]), problem(404, 'approval-not-found'));
  for (const id of [ids[0], ids[2]]) await ownerClient.cancelApproval(id);
});

test('an approver hashes the exact body of a hand-written request to its payload hash, not the re-serialized request', async () => {
  const { keyPair } = await newAgent();
  // The agent's own bytes, as a person or another client would write them: spaced, on several lines, HTML-sensitive
  // characters escaped the way .NET writes them, non-ASCII as is.
  const path = `/v1/accounts/${owner}/sign/ethereum`;
  const sent = new TextEncoder().encode(`{
  "transaction" : { "chainId": "1", "nonce": "40", "to": "${recipient}", "value": "${aboveThreshold}",
                    "gas": "21000", "maxFeePerGas": "20000000000", "maxPriorityFeePerGas": "1000000000" },
  "memo":   "Paiement à Zoë \\u003Cfournisseur\\u003E & fils — 東京"
}`);
  const held = await fetch(new URL(path, url), {
    method: 'POST', body: sent,
    headers: { 'content-type': 'application/json', authorization: await authorizationHeader(keyPair, owner, 'POST', path, sent) },
  });
  assert.equal(held.status, 202);
  const { id } = await held.json();

  const seen = await bob.getApproval(id, { account: owner });
  assert.deepEqual(exactBody(seen), sent);
  assert.ok(bodyMatchesPayloadHash(seen));
  assert.equal(payloadHashOf(seen), seen.payloadHash);
  assert.equal(seen.request.memo, 'Paiement à Zoë <fournisseur> & fils — 東京');
  const reserialized = payloadHashOf(JSON.stringify(seen.request));
  assert.notEqual(reserialized, seen.payloadHash);
  await assert.rejects(bob.approve(owner, id, reserialized), problem(409, 'payload-mismatch'));

  const afterBob = await bob.approve(owner, id, payloadHashOf(seen));
  assert.deepEqual(afterBob.approvals.map(v => v.account), ['bob.near']);
  assert.equal(afterBob.body, undefined);
  const signed = await carol.approve(owner, id, payloadHashOf(await carol.getApproval(id, { account: owner })));
  assert.equal(signed.state, 'signed');
});

test('wrong hashes, strangers, agents, unknown ids and switched votes are typed problems', async () => {
  const { agent } = await newAgent();
  const pending = await held(agent, 20);
  await assert.rejects(bob.approve(owner, pending.requestId, payloadHashOf('{"transaction":{}}')), problem(409, 'payload-mismatch'));
  assert.deepEqual((await bob.getApproval(pending.requestId, { account: owner })).approvals, []);
  await assert.rejects(erin.approve(owner, pending.requestId, pending.payloadHash), problem(403, 'not-an-approver'));
  await assert.rejects(erin.getApproval(pending.requestId, { account: owner }), problem(403, 'not-an-approver'));
  await assert.rejects(agent.approve(owner, pending.requestId, pending.payloadHash), problem(403, 'owner-only'));
  await assert.rejects(ownerClient.approve(owner, pending.requestId, pending.payloadHash), problem(403, 'not-an-approver'));
  await assert.rejects(agent.listApprovals(), problem(403, 'owner-only'));
  await assert.rejects(bob.getApproval('AAAAAAAAAAAAAAAAAAAAAA', { account: owner }), problem(404, 'approval-not-found'));
  await assert.rejects(bob.approve(owner, pending.requestId, 'not-a-hash'), problem(400, 'invalid-approval'));
  await assert.rejects(bob.getApproval('../agents', { account: owner }), TypeError);

  await bob.approve(owner, pending.requestId, pending.payloadHash);
  await assert.rejects(bob.reject(owner, pending.requestId, pending.payloadHash), problem(409, 'already-voted'));
  assert.deepEqual((await bob.approve(owner, pending.requestId, pending.payloadHash)).approvals.map(a => a.account), ['bob.near']);
  await ownerClient.cancelApproval(pending.requestId);
});

/** A receiver as an integrator writes one: it verifies each POST over the exact bytes before reading it. */
async function startReceiver() {
  const arrived = [];
  const waiting = [];
  const receiver = { secret: undefined, url: '', next: () => arrived.length > 0 ? Promise.resolve(arrived.shift()) : new Promise(r => waiting.push(r)) };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const signature = req.headers['x-keystore-signature'];
      const accepted = receiver.secret !== undefined && verifyWebhookSignature(receiver.secret, signature, body);
      const received = { signature, event: req.headers['x-keystore-event'], delivery: req.headers['x-keystore-delivery'], body, accepted };
      res.writeHead(accepted ? 200 : 400).end();
      const w = waiting.shift();
      if (w) w(received); else arrived.push(received);
    });
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  receiver.url = `http://127.0.0.1:${server.address().port}/hooks/keystore`;
  receiver.close = () => new Promise(r => server.close(r));
  return receiver;
}

const post = async (target, signature, body) =>
  (await fetch(target, { method: 'POST', headers: signature ? { 'x-keystore-signature': signature } : {}, body })).status;

test('a webhook set through the client delivers the approval flow, verified by the client in a real receiver; a tampered body is refused', async () => {
  const receiver = await startReceiver();
  try {
    const set = await ownerClient.setWebhook(receiver.url, ['pending', 'approved', 'signed']);
    assert.deepEqual([set.account, set.url, set.events], [owner, receiver.url, ['pending', 'approved', 'signed']]);
    assert.equal(Buffer.from(set.secret, 'base64url').length, 32);
    receiver.secret = set.secret;
    const got = await ownerClient.getWebhook();
    assert.deepEqual(got, { account: owner, url: receiver.url, events: ['pending', 'approved', 'signed'], createdAt: set.createdAt });
    assert.equal('secret' in got, false);

    const { agent } = await newAgent();
    const pending = await held(agent, 30);
    await bob.approve(owner, pending.requestId, pending.payloadHash);
    await carol.approve(owner, pending.requestId, pending.payloadHash);
    const deliveries = [];
    while (deliveries.length < 4) {
      const received = await receiver.next();
      assert.ok(received.accepted, `refused: ${received.signature} ${received.body}`);
      const parsed = JSON.parse(received.body);
      assert.deepEqual([parsed.kind, parsed.id, parsed.account, parsed.payloadHash], [received.event, received.delivery, owner, pending.payloadHash]);
      deliveries.push({ received, parsed });
    }
    assert.deepEqual(deliveries.map(d => d.parsed.kind).sort(), ['approved', 'approved', 'pending', 'signed']);
    for (const d of deliveries.filter(d => d.parsed.kind !== 'signed')) assert.equal(d.parsed.requestId, pending.requestId);

    const { received: signed } = deliveries.find(d => d.parsed.kind === 'signed');
    assert.equal(await post(receiver.url, signed.signature, signed.body), 200);
    assert.ok((await receiver.next()).accepted);
    const tampered = Buffer.from(signed.body.toString().replace('"signed"', '"denied"'));
    assert.equal(await post(receiver.url, signed.signature, tampered), 400);
    assert.equal((await receiver.next()).accepted, false);
    assert.equal(await post(receiver.url, undefined, signed.body), 400);
    assert.equal((await receiver.next()).accepted, false);

    // The verifier on its own: time tolerance, another secret, malformed headers.
    const t = Number(/t=(\d+)/.exec(signed.signature)[1]);
    assert.equal(verifyWebhookSignature(set.secret, signed.signature, signed.body, 300, t + 300), true);
    assert.equal(verifyWebhookSignature(set.secret, signed.signature, signed.body, 300, t + 301), false);
    assert.equal(verifyWebhookSignature(set.secret, signed.signature, signed.body, 7200, t + 3600), true);
    assert.equal(verifyWebhookSignature(set.secret, signed.signature, signed.body.toString(), 300, t), true);
    for (const header of ['', `t=${t}`, signed.signature.replace(/v1=[0-9a-f]{64}/, 'v1=' + '0'.repeat(64)), signed.signature.replace(`t=${t}`, `t=${t + 1}`),
      `${signed.signature},t=${t}`, signed.signature.slice(0, -1)]) {
      assert.equal(verifyWebhookSignature(set.secret, header, signed.body, 300, t), false, header);
    }
    assert.throws(() => verifyWebhookSignature('not base64url!', signed.signature, signed.body), TypeError);

    const replaced = await ownerClient.setWebhook(receiver.url, ['rejected']);
    assert.notEqual(replaced.secret, set.secret);
    assert.equal(verifyWebhookSignature(replaced.secret, signed.signature, signed.body, 300, t), false);
    assert.deepEqual((await ownerClient.getWebhook()).events, ['rejected']);

    assert.deepEqual(await ownerClient.deleteWebhook(), { account: owner, deleted: true });
    await assert.rejects(ownerClient.getWebhook(), problem(404, 'webhook-not-found'));
    await assert.rejects(ownerClient.deleteWebhook(), problem(404, 'webhook-not-found'));
    await assert.rejects(agent.setWebhook(receiver.url, ['signed']), problem(403, 'owner-only'));
    await assert.rejects(ownerClient.setWebhook(receiver.url, ['everything']), problem(400, 'invalid-webhook'));
    await assert.rejects(ownerClient.setWebhook('https://169.254.169.254/latest', ['signed']), problem(400, 'webhook-url-refused'));
  } finally {
    await receiver.close();
  }
});
