import { accessListify, getAddress, hexlify, toQuantity, type TransactionRequest } from 'ethers';
import { Transaction as SolanaTransaction, VersionedTransaction } from '@solana/web3.js';
import * as btc from '@scure/btc-signer';
import { base64 } from '@scure/base';
import type { KeyPair } from 'near-api-js';
import { authorizationHeader, DEFAULT_RECIPIENT } from './auth.js';
import { KeystoreProblem } from './problem.js';

export type Chain = 'ethereum' | 'bitcoin' | 'solana';

export interface KeystoreClientOptions {
  /** The keystore, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** The NEAR account whose keystore keys sign. */
  accountId: string;
  /** A full-access key of that account (see `loadCredentials`). */
  keyPair: KeyPair;
  /** The keystore's `Keystore:ServiceName`. */
  recipient?: string;
  fetch?: typeof fetch;
}

export interface KeyInfo {
  account: string;
  chain: Chain;
  index: number;
  path: string;
  publicKey: string;
  address: string;
  binding: { state: 'unchecked' | 'pending' | 'registered' | 'failed' | 'disabled'; registry: string | null; error?: string | null };
}

export interface SignedEthereumTransaction {
  /** `0x…`, ready for `eth_sendRawTransaction` / `provider.broadcastTransaction`. */
  signedTransaction: string;
  hash: string;
  from: string;
}

export interface SignedPsbt {
  /** base64 BIP174, with this key's `tap_key_sig`s. */
  psbt: string;
  signedInputs: number[];
  /** With `finalize: true`: the finalized transaction, hex, ready for `sendrawtransaction`. */
  rawTransaction?: string;
}

export interface SignedSolanaTransaction<T> {
  /** base58 */
  signature: string;
  /** base64 wire transaction with this key's slot filled. */
  signedTransaction: string;
  /** The same, deserialized into the class that was passed in. */
  transaction: T;
}

/** Calls the keystore as the owner of one NEAR account; problems throw `KeystoreProblem`. */
export class KeystoreClient {
  private readonly url: URL;
  private readonly fetch: typeof fetch;
  readonly accountId: string;
  private readonly keyPair: KeyPair;
  private readonly recipient: string;

  constructor(options: KeystoreClientOptions) {
    this.url = new URL(options.url);
    this.accountId = options.accountId;
    this.keyPair = options.keyPair;
    this.recipient = options.recipient ?? DEFAULT_RECIPIENT;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** The account's address on `chain`; `publish: true` signs the request so the keystore publishes it in chain-keys. */
  async keys(chain: Chain, index = 0, options: { publish?: boolean } = {}): Promise<KeyInfo> {
    return (await this.send('GET', `${this.accountPath()}/keys/${chain}?index=${index}`, undefined, options.publish ?? false)) as KeyInfo;
  }

  /** `POST …/publish`: queues the chain-keys binding. */
  async publish(chain: Chain, index = 0): Promise<KeyInfo> {
    return (await this.send('POST', `${this.accountPath()}/keys/${chain}/publish?index=${index}`, new Uint8Array(), true)) as KeyInfo;
  }

  /** Signs an ethers `TransactionRequest` (populated: chainId, nonce, gasLimit and fees set) and returns the raw signed transaction. */
  async signEthereumTransaction(tx: TransactionRequest, options: { index?: number } = {}): Promise<SignedEthereumTransaction> {
    return (await this.sign('ethereum', { index: options.index ?? 0, transaction: ethereumFields(tx) })) as SignedEthereumTransaction;
  }

  /** EIP-191 personal message; a `Uint8Array` is signed as bytes. Returns the 65-byte signature, `0x…`. */
  async signEthereumMessage(message: string | Uint8Array, options: { index?: number } = {}): Promise<string> {
    const body = typeof message === 'string'
      ? { index: options.index ?? 0, message, encoding: 'utf8' }
      : { index: options.index ?? 0, message: hexlify(message), encoding: 'hex' };
    return ((await this.sign('ethereum', body)) as { signature: string }).signature;
  }

  /** EIP-712 (`{types, primaryType, domain, message}`, as `eth_signTypedData_v4` takes it). */
  async signTypedData(typedData: { types: object; primaryType: string; domain: object; message: object }, options: { index?: number } = {}): Promise<string> {
    return ((await this.sign('ethereum', { index: options.index ?? 0, typedData })) as { signature: string }).signature;
  }

  /** A PSBT (base64 or bytes): each input paying this key's Taproot output gets a key-path signature; `finalize` also returns the raw transaction. */
  async signPsbt(psbt: string | Uint8Array, options: { index?: number; finalize?: boolean; allowedSighashTypes?: string[] } = {}): Promise<SignedPsbt> {
    const body: Record<string, unknown> = { index: options.index ?? 0, psbt: typeof psbt === 'string' ? psbt : base64.encode(psbt) };
    if (options.allowedSighashTypes) body.allowedSighashTypes = options.allowedSighashTypes;
    const signed = (await this.sign('bitcoin', body)) as SignedPsbt;
    if (options.finalize) {
      const tx = btc.Transaction.fromPSBT(base64.decode(signed.psbt));
      tx.finalize();
      signed.rawTransaction = tx.hex;
    }
    return signed;
  }

  /** A web3.js `Transaction` or `VersionedTransaction` (blockhash and fee payer set) this key must sign; other signatures are kept. */
  async signSolanaTransaction<T extends SolanaTransaction | VersionedTransaction>(tx: T, options: { index?: number } = {}): Promise<SignedSolanaTransaction<T>> {
    const wire = tx instanceof VersionedTransaction ? tx.serialize() : tx.serialize({ requireAllSignatures: false, verifySignatures: false });
    const answer = (await this.sign('solana', { index: options.index ?? 0, transaction: base64.encode(wire) })) as { signature: string; signedTransaction: string };
    const bytes = base64.decode(answer.signedTransaction);
    const transaction = (tx instanceof VersionedTransaction ? VersionedTransaction.deserialize(bytes) : SolanaTransaction.from(bytes)) as T;
    return { signature: answer.signature, signedTransaction: answer.signedTransaction, transaction };
  }

  /** A serialized Solana message (web3.js `Message.serialize()` / `compileToV0Message().serialize()`); returns the base58 signature. */
  async signSolanaMessage(message: Uint8Array, options: { index?: number } = {}): Promise<string> {
    return ((await this.sign('solana', { index: options.index ?? 0, message: base64.encode(message) })) as { signature: string }).signature;
  }

  /** Any sign body, for shapes without a method here. */
  async sign(chain: Chain, body: object): Promise<unknown> {
    return this.send('POST', `${this.accountPath()}/sign/${chain}`, new TextEncoder().encode(JSON.stringify(body)), true);
  }

  /** `/v1/ready` once ready; throws a 503 `KeystoreProblem` whose body lists the boot steps before that. */
  async ready(): Promise<unknown> {
    return this.send('GET', '/v1/ready', undefined, false);
  }

  async attestation(): Promise<unknown> {
    return this.send('GET', '/v1/attestation', undefined, false);
  }

  private accountPath(): string {
    return `/v1/accounts/${encodeURIComponent(this.accountId)}`;
  }

  private async send(method: string, pathAndQuery: string, body: Uint8Array | undefined, signed: boolean): Promise<unknown> {
    const target = new URL(this.url.pathname.replace(/\/$/, '') + pathAndQuery, this.url);
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (signed) {
      headers.authorization = await authorizationHeader(this.keyPair, this.accountId, method, target.pathname + target.search, body ?? new Uint8Array(), this.recipient);
    }
    const response = await this.fetch(target, { method, headers, body: body as BodyInit | undefined });
    const text = await response.text();
    let json: unknown;
    try {
      json = text.length === 0 ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.ok && json !== undefined) return json;
    const problem = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
    throw new KeystoreProblem(
      response.status,
      typeof problem.type === 'string' ? problem.type : `${KeystoreProblem.typePrefix}http-${response.status}`,
      typeof problem.title === 'string' ? problem.title : response.statusText,
      typeof problem.detail === 'string' ? problem.detail : undefined,
      typeof problem.traceId === 'string' ? problem.traceId : undefined,
      problem,
    );
  }
}

/** An ethers TransactionRequest as the keystore's JSON (0x quantities; gasLimit is `gas`). */
function ethereumFields(tx: TransactionRequest): Record<string, unknown> {
  const missing = (['chainId', 'nonce', 'gasLimit'] as const).filter(k => tx[k] === undefined || tx[k] === null);
  if (missing.length > 0) {
    throw new TypeError(`the transaction needs ${missing.join(', ')} (populate it first, e.g. with signer.populateTransaction)`);
  }
  if (tx.to !== undefined && tx.to !== null && typeof tx.to !== 'string') {
    throw new TypeError("'to' must be an address string here (resolve ENS names and Addressables first)");
  }
  const type = tx.type ?? (tx.gasPrice !== undefined && tx.gasPrice !== null ? 0 : 2);
  const out: Record<string, unknown> = {
    type,
    chainId: toQuantity(tx.chainId!),
    nonce: toQuantity(tx.nonce!),
    value: toQuantity(tx.value ?? 0),
    data: tx.data ?? '0x',
    gas: toQuantity(tx.gasLimit!),
  };
  if (tx.to) out.to = getAddress(tx.to);
  if (tx.gasPrice !== undefined && tx.gasPrice !== null) out.gasPrice = toQuantity(tx.gasPrice);
  if (tx.maxFeePerGas !== undefined && tx.maxFeePerGas !== null) out.maxFeePerGas = toQuantity(tx.maxFeePerGas);
  if (tx.maxPriorityFeePerGas !== undefined && tx.maxPriorityFeePerGas !== null) out.maxPriorityFeePerGas = toQuantity(tx.maxPriorityFeePerGas);
  if (tx.accessList) out.accessList = accessListify(tx.accessList);
  return out;
}
