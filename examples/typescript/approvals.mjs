// m-of-n approvals with the NEAR TEE keystore's TypeScript client, every party its own client: the owner registers an
// agent whose transfers above 0.1 ETH need 2 approvers, the agent asks for 0.2 ETH (held: HTTP 202), each approver
// approves as its own NEAR account, the agent fetches the signed transaction, and a webhook receiver on this machine
// verifies every delivery with the client's verifier.
// Against ./run.sh: `node approvals.mjs` (alice.test.near, approved by bob.test.near and carol.test.near: their NEAR CLI
// credentials are in .local-run/). Elsewhere set KEYSTORE_URL, KEYSTORE_CREDENTIALS_DIR (<account>.json files),
// KEYSTORE_OWNER and KEYSTORE_APPROVERS (comma-separated); the webhook needs Keystore:Webhooks:AllowInsecureLoopback
// (run.sh sets it). It replaces the owner's webhook and revokes its agent at the end.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Transaction as EthTransaction } from 'ethers';
import { KeyPair } from 'near-api-js';
import { ApprovalPending, KeystoreClient, loadCredentials, payloadHashOf, verifyWebhookSignature } from '@near-tee-keystore/client';

const url = process.env.KEYSTORE_URL ?? 'http://127.0.0.1:8080';
const dir = process.env.KEYSTORE_CREDENTIALS_DIR ?? new URL('../../.local-run/near-credentials/localnet/', import.meta.url).pathname;
const ownerId = process.env.KEYSTORE_OWNER ?? 'alice.test.near';
const approverIds = (process.env.KEYSTORE_APPROVERS ?? 'bob.test.near,carol.test.near').split(',');
const clientOf = async account => new KeystoreClient({ url, ...(await loadCredentials(join(dir, `${account}.json`))) });

const owner = await clientOf(ownerId);
const approvers = await Promise.all(approverIds.map(clientOf));

// 1. A receiver for the owner's webhook: it checks each delivery's signature over the exact bytes before reading it.
const kinds = [];
let secret;
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const genuine = secret !== undefined && verifyWebhookSignature(secret, req.headers['x-keystore-signature'], body);
    if (genuine) kinds.push(JSON.parse(body).kind);
    res.writeHead(genuine ? 200 : 400).end();
  });
});
await new Promise(r => receiver.listen(0, '127.0.0.1', r));
const hook = await owner.setWebhook(`http://127.0.0.1:${receiver.address().port}/keystore`, ['pending', 'approved', 'signed', 'rejected']);
secret = hook.secret;
console.log(`webhook   ${hook.url}  events ${hook.events.join(',')}`);

// 2. The owner registers an agent: up to 1 ETH a day on chain 1, above 0.1 ETH only with 2 of the approvers.
const agentKey = KeyPair.fromRandom('ed25519');
await owner.createAgent({
  publicKey: agentKey.getPublicKey().toString(), name: 'payments-bot', expiresAt: new Date(Date.now() + 3_600_000),
  policy: { kind: 'agent', version: 1, rules: [{ id: 'payments', chains: ['ethereum'], operations: ['transaction'],
    limits: { 'eth:1': { daily: '1000000000000000000' } },
    approvals: { required: 2, approvers: approverIds, above: { 'eth:1': '100000000000000000' } } }] },
});
const agent = new KeystoreClient({ url, accountId: ownerId, keyPair: agentKey });

// 3. The agent asks for 0.2 ETH: the keystore holds it for approvals and signs nothing yet.
let requestId;
try {
  await agent.signEthereumTransaction({ chainId: 1n, nonce: 0, to: '0x742d35Cc6634C0532925a3b844Bc454e4438f44e', value: 2n * 10n ** 17n,
    gasLimit: 21000n, maxFeePerGas: 20n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n });
  throw new Error('signed without approvals');
} catch (e) {
  if (!(e instanceof ApprovalPending)) throw e;
  requestId = e.requestId;
  console.log(`pending   ${requestId}  needs ${e.request.required} of ${e.request.approvers.join(', ')}`);
}

// 4. Each approver, as its own account, reads the exact body and approves its hash.
for (const approver of approvers) {
  const seen = await approver.getApproval(requestId, { account: ownerId });
  const tx = seen.request.transaction;
  // The hash approved is computed here from the exact bytes the agent sent, not taken on the keystore's word.
  const after = await approver.approve(ownerId, requestId, payloadHashOf(seen));
  console.log(`approved  by ${approver.accountId} (${BigInt(tx.value)} wei to ${tx.to})  state ${after.state}`);
}

// 5. The agent fetches the signed transaction.
const { signedTransaction, hash } = await agent.waitForApprovalResult(requestId, { intervalMs: 200, timeoutMs: 60_000 });
console.log(`signed    ${hash}  (ethers reads from=${EthTransaction.from(signedTransaction).from})`);

for (let i = 0; i < 100 && kinds.length < 4; i++) await new Promise(r => setTimeout(r, 100));
console.log(`webhook   verified deliveries: ${kinds.sort().join(', ')}`);
await owner.revokeAgent(agentKey.getPublicKey().toString());
await owner.deleteWebhook();
receiver.close();
