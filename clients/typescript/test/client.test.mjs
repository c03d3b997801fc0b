// The TypeScript client against a running keystore (started by Keystore.Tests' TypeScriptClientTests, or by ./run.sh):
// KEYSTORE_URL, KEYSTORE_CREDENTIALS (a NEAR CLI credentials file of an owner), KEYSTORE_BITCOIN_NETWORK (regtest by default).
// Every signature is checked with ethers, @scure/btc-signer, @noble/curves and @solana/web3.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Transaction as EthTransaction, verifyMessage, verifyTypedData } from 'ethers';
import * as btc from '@scure/btc-signer';
import { base58, base64, hex } from '@scure/base';
import { ed25519 } from '@noble/curves/ed25519.js';
import { Keypair, PublicKey, SystemProgram, Transaction, TransactionMessage, VersionedTransaction } from '@solana/web3.js';
import { KeyPair } from 'near-api-js';
import { KeystoreClient, KeystoreProblem, loadCredentials } from '../dist/index.js';

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
