// near-api-js 7 as a client of the local NEAR chain: reads an account, sends a transfer, deploys a contract and
// calls it, reads views, and reports which near-api-js error classes the chain's error responses map to.
// stdin: {url, sender: {accountId, privateKey}, receiverId, amount: "yocto", deployer: {accountId, privateKey},
//         wasmPath, daoAccountId}
// stdout: {chainId, latestHeight, senderBalance, receiverBefore, receiverAfter, transfer: {hash, status, finalStatus},
//          deploy: {status}, init: {status, receiptExecutors}, config, count,
//          code: {hash, sha256Base64, length, blockHeight, accountCodeHash, viaAccount: {hash, length}}, errors: {...}}
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Account, JsonRpcProvider, KeyPair, teraToGas } from 'near-api-js';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const provider = new JsonRpcProvider({ url: input.url });

const status = await provider.viewNodeStatus();
const sender = new Account(input.sender.accountId, provider, input.sender.privateKey);
const senderState = await sender.getState();
const receiverBefore = await provider.viewAccount({ accountId: input.receiverId });
const transfer = await sender.transfer({ receiverId: input.receiverId, amount: BigInt(input.amount) });
const receiverAfter = await provider.viewAccount({ accountId: input.receiverId });

const deployer = new Account(input.deployer.accountId, provider, input.deployer.privateKey);
const deploy = await deployer.deployContract(readFileSync(input.wasmPath));
const init = await deployer.callFunctionRaw({
  contractId: input.deployer.accountId, methodName: 'new', args: { dao_contract_id: input.daoAccountId }, gas: teraToGas(50),
});
const config = await provider.callFunction({ contractId: input.deployer.accountId, method: 'get_config', args: {} });
const count = await provider.callFunction({ contractId: input.deployer.accountId, method: 'count', args: {} });
// view_code, through the provider and through Account.getContractCode.
const code = await provider.viewContractCode({ contractId: input.deployer.accountId });
const codeViaAccount = await deployer.getContractCode();
const deployerState = await provider.viewAccount({ accountId: input.deployer.accountId });
const txStatus = await provider.viewTransactionStatus({ txHash: transfer.transaction.hash, accountId: input.sender.accountId, waitUntil: 'FINAL' });

// The error responses must parse into near-api-js's typed errors.
async function errorName(fn) {
  try { await fn(); return null; } catch (e) { return e?.constructor?.name ?? String(e); }
}
const errors = {
  unknownAccount: await errorName(() => provider.viewAccount({ accountId: 'nobody.test.near' })),
  unknownAccessKey: await errorName(() => provider.viewAccessKey({ accountId: input.sender.accountId, publicKey: KeyPair.fromRandom('ed25519').getPublicKey().toString() })),
  missingViewMethod: await errorName(() => provider.callFunction({ contractId: input.deployer.accountId, method: 'no_such_view', args: {} })),
  noContractCode: await errorName(() => provider.callFunction({ contractId: input.receiverId, method: 'anything', args: {} })),
  viewCodeWithoutCode: await errorName(() => provider.viewContractCode({ contractId: input.receiverId })),
  viewCodeUnknownAccount: await errorName(() => provider.viewContractCode({ contractId: 'nobody.test.near' })),
  missingCallMethod: await errorName(() => deployer.callFunction({ contractId: input.deployer.accountId, methodName: 'no_such_method', args: {}, gas: teraToGas(30) })),
};

const bigintSafe = (_, v) => typeof v === 'bigint' ? v.toString() : v;
process.stdout.write(JSON.stringify({
  chainId: status.chain_id,
  latestHeight: status.sync_info.latest_block_height,
  senderBalance: senderState.balance.total,
  receiverBefore: receiverBefore.amount,
  receiverAfter: receiverAfter.amount,
  transfer: { hash: transfer.transaction.hash, status: transfer.status, finalStatus: transfer.final_execution_status },
  txStatus: { hash: txStatus.transaction.hash, status: txStatus.status },
  deploy: { status: deploy.status },
  init: { status: init.status, receiptExecutors: init.receipts_outcome.map(r => r.outcome.executor_id) },
  config,
  count,
  code: {
    hash: code.hash,
    sha256Base64: createHash('sha256').update(code.code).digest('base64'),
    length: code.code.length,
    blockHeight: code.block_height,
    accountCodeHash: deployerState.code_hash,
    viaAccount: { hash: codeViaAccount.hash, length: codeViaAccount.code.length },
  },
  errors,
}, bigintSafe));
