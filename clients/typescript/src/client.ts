import { accessListify, getAddress, hexlify, toQuantity, type TransactionRequest } from 'ethers';
import { Transaction as SolanaTransaction, VersionedTransaction } from '@solana/web3.js';
import * as btc from '@scure/btc-signer';
import { base64 } from '@scure/base';
import type { KeyPair } from 'near-api-js';
import { authorizationHeader, DEFAULT_RECIPIENT } from './auth.js';
import { KeystoreProblem } from './problem.js';
import { ApprovalPending } from './pending.js';
import { ApprovalEnded, isApprovalOpen, type ApprovalPage, type ApprovalRequest } from './approvals.js';
import type { CreatedWebhook, Webhook, WebhookDeletion } from './webhooks.js';

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

/** Options of every sign call. */
export interface SignOptions {
  index?: number;
  /**
   * Sent as `Idempotency-Key` (1 to 255 visible ASCII characters): the same key with the same request gets the answer
   * already given, so a retry after a lost answer signs nothing twice; with another request it is 409 `idempotency-conflict`.
   */
  idempotencyKey?: string;
}

/** An agent key of the account: it signs under `policy` until `expiresAt`; `active` is false once expired. */
export interface AgentInfo {
  publicKey: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  active: boolean;
  version: number;
  policy: Record<string, unknown>;
}

export interface NewAgent {
  /** `ed25519:<base58>` */
  publicKey: string;
  name: string;
  expiresAt: Date | string;
  /** An agent policy document: `{"kind":"agent","version":1,"rules":[…]}`. */
  policy: object;
}

export interface AgentRevocation {
  account: string;
  publicKey: string;
  revoked: boolean;
  accountVersion: number;
}

/** `frozen` stops every signature (owners' too); `rules` is the account policy document (caps over all agents) or null. */
export interface AccountPolicy {
  account: string;
  frozen: boolean;
  rules: Record<string, unknown> | null;
  version: number;
  updatedAt: string | null;
}

/** What an export carries: `'mnemonic'`, a chain key, or Bitcoin's BIP86 account key (`{chain: 'bitcoin', format: 'xprv'}`). */
export type ExportItem = 'mnemonic' | { chain: Chain; index?: number } | { chain: 'bitcoin'; format: 'xprv' };

/** `armored` is the age file only the recipient's identity decrypts; `contents` names what it holds, never a secret. */
export interface AccountExport {
  account: string;
  recipient: string;
  contents: string[];
  format: string;
  armored: string;
}

export interface AuditQuery {
  /** Entries with a sequence number above this (the previous page's `next`). */
  after?: number;
  /** 1 to 1000 (default 100). */
  limit?: number;
  /** Only this agent key's entries. */
  agent?: string;
  from?: Date | string;
  to?: Date | string;
}

/** One link of the signed audit chain (hex hashes) with its content: `content` is the exact text `contentHash` covers, `entry` the same parsed. */
export interface AuditEntry {
  seq: number;
  at: string;
  prev: string;
  contentHash: string;
  hash: string;
  signature: string;
  content: string;
  entry: { kind: string; account: string; agent: string | null; chain: string | null; rule: string | null; [k: string]: unknown };
}

export interface AuditPage {
  account: string;
  entries: AuditEntry[];
  /** The `after` of the next page; null on the last. */
  next: number | null;
}

export interface AuditHead {
  sequence: number;
  hash: string;
  auditPublicKey: string;
  anchoredSequence: number | null;
}

/** One spending window a request is charged to (decimal strings, base units). */
export interface SpendingWindow {
  key: string;
  rule: string;
  windowSeconds: number;
  limit: string;
  current: string;
  after: string;
}

/** A dry run's answer: what the keystore would decide, without signing. */
export interface SignDecision {
  dryRun: true;
  caller: 'owner' | 'agent';
  decision: 'allow' | 'deny';
  rule: string | null;
  message: string | null;
  windows: SpendingWindow[];
}

/** One batch item, in request order: its `result` (what the single sign route answers) or its `problem` (nothing signed for it). */
export type SignBatchItem = { result: Record<string, unknown>; problem?: undefined } | { result?: undefined; problem: KeystoreProblem };

/** How `waitForApproval` polls: every `intervalMs` (default 1000) until `timeoutMs` (default: no limit) or `signal` aborts. */
export interface WaitOptions {
  /** The account the request belongs to (default: this client's; an approver names the account it approves for). */
  account?: string;
  intervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Calls the keystore as one NEAR account (`accountId`, signing with `keyPair`: a full-access key of it, or an agent key).
 * Problems throw `KeystoreProblem`, a request held for approvals `ApprovalPending`. An approver is a client made with the
 * approver's own account and key; its approval methods name the account whose request they vote on.
 */
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
  async signEthereumTransaction(tx: TransactionRequest, options: SignOptions = {}): Promise<SignedEthereumTransaction> {
    return (await this.sign('ethereum', { index: options.index ?? 0, transaction: ethereumFields(tx) }, options)) as SignedEthereumTransaction;
  }

  /** The dry run of `signEthereumTransaction`: the decision (freeze, agent policy, spending windows) without signing. */
  async dryRunEthereumTransaction(tx: TransactionRequest, options: { index?: number } = {}): Promise<SignDecision> {
    return this.dryRun('ethereum', { index: options.index ?? 0, transaction: ethereumFields(tx) });
  }

  /** EIP-191 personal message; a `Uint8Array` is signed as bytes. Returns the 65-byte signature, `0x…`. */
  async signEthereumMessage(message: string | Uint8Array, options: SignOptions = {}): Promise<string> {
    const body = typeof message === 'string'
      ? { index: options.index ?? 0, message, encoding: 'utf8' }
      : { index: options.index ?? 0, message: hexlify(message), encoding: 'hex' };
    return ((await this.sign('ethereum', body, options)) as { signature: string }).signature;
  }

  /** EIP-712 (`{types, primaryType, domain, message}`, as `eth_signTypedData_v4` takes it). */
  async signTypedData(typedData: { types: object; primaryType: string; domain: object; message: object }, options: SignOptions = {}): Promise<string> {
    return ((await this.sign('ethereum', { index: options.index ?? 0, typedData }, options)) as { signature: string }).signature;
  }

  /** A PSBT (base64 or bytes): each input paying this key's Taproot output gets a key-path signature; `finalize` also returns the raw transaction. */
  async signPsbt(psbt: string | Uint8Array, options: SignOptions & { finalize?: boolean; allowedSighashTypes?: string[] } = {}): Promise<SignedPsbt> {
    const body: Record<string, unknown> = { index: options.index ?? 0, psbt: typeof psbt === 'string' ? psbt : base64.encode(psbt) };
    if (options.allowedSighashTypes) body.allowedSighashTypes = options.allowedSighashTypes;
    const signed = (await this.sign('bitcoin', body, options)) as SignedPsbt;
    if (options.finalize) {
      const tx = btc.Transaction.fromPSBT(base64.decode(signed.psbt));
      tx.finalize();
      signed.rawTransaction = tx.hex;
    }
    return signed;
  }

  /** A web3.js `Transaction` or `VersionedTransaction` (blockhash and fee payer set) this key must sign; other signatures are kept. */
  async signSolanaTransaction<T extends SolanaTransaction | VersionedTransaction>(tx: T, options: SignOptions = {}): Promise<SignedSolanaTransaction<T>> {
    const wire = tx instanceof VersionedTransaction ? tx.serialize() : tx.serialize({ requireAllSignatures: false, verifySignatures: false });
    const answer = (await this.sign('solana', { index: options.index ?? 0, transaction: base64.encode(wire) }, options)) as { signature: string; signedTransaction: string };
    const bytes = base64.decode(answer.signedTransaction);
    const transaction = (tx instanceof VersionedTransaction ? VersionedTransaction.deserialize(bytes) : SolanaTransaction.from(bytes)) as T;
    return { signature: answer.signature, signedTransaction: answer.signedTransaction, transaction };
  }

  /** A serialized Solana message (web3.js `Message.serialize()` / `compileToV0Message().serialize()`); returns the base58 signature. */
  async signSolanaMessage(message: Uint8Array, options: SignOptions = {}): Promise<string> {
    return ((await this.sign('solana', { index: options.index ?? 0, message: base64.encode(message) }, options)) as { signature: string }).signature;
  }

  /** Any sign body, for shapes without a method here. */
  async sign(chain: Chain, body: object, options: { idempotencyKey?: string } = {}): Promise<unknown> {
    return this.send('POST', `${this.accountPath()}/sign/${chain}`, encode(body), true, options.idempotencyKey);
  }

  /** `?dryRun=true`: what the keystore would decide for this sign body (freeze, agent policy, spending windows), without signing or spending. */
  async dryRun(chain: Chain, body: object): Promise<SignDecision> {
    return (await this.send('POST', `${this.accountPath()}/sign/${chain}?dryRun=true`, encode(body), true)) as SignDecision;
  }

  /** Up to 100 sign bodies on one chain (owner keys only); each is judged on its own and answered in order. */
  async signBatch(chain: Chain, items: object[]): Promise<SignBatchItem[]> {
    const answer = (await this.send('POST', `${this.accountPath()}/sign-batch/${chain}`, encode({ items }), true)) as { results: Array<{ result?: Record<string, unknown>; problem?: Record<string, unknown> }> };
    return answer.results.map(r => (r.problem ? { problem: toProblem(typeof r.problem.status === 'number' ? r.problem.status : 400, r.problem, '') } : { result: r.result! }));
  }

  /** Exports the mnemonic and/or chain keys, encrypted to an `age1…` X25519 recipient (owner keys only). */
  async export(recipient: string, include: ExportItem[]): Promise<AccountExport> {
    return (await this.send('POST', `${this.accountPath()}/export`, encode({ recipient, include }), true)) as AccountExport;
  }

  /** Registers an agent key that signs under `policy` until `expiresAt` (owner keys only, as every agent and policy route). */
  async createAgent(agent: NewAgent): Promise<AgentInfo> {
    const body = { ...agent, expiresAt: rfc3339(agent.expiresAt) };
    return (await this.send('POST', `${this.accountPath()}/agents`, encode(body), true)) as AgentInfo;
  }

  async listAgents(): Promise<AgentInfo[]> {
    return ((await this.send('GET', `${this.accountPath()}/agents`, undefined, true)) as { agents: AgentInfo[] }).agents;
  }

  /** One agent key; a 404 `agent-not-found` problem when the account has none such. */
  async getAgent(publicKey: string): Promise<AgentInfo> {
    return (await this.send('GET', this.agentPath(publicKey), undefined, true)) as AgentInfo;
  }

  /** Changes what is given (at least one of name, expiresAt, policy). */
  async updateAgent(publicKey: string, changes: { name?: string; expiresAt?: Date | string; policy?: object }): Promise<AgentInfo> {
    const body: Record<string, unknown> = {};
    if (changes.name !== undefined) body.name = changes.name;
    if (changes.expiresAt !== undefined) body.expiresAt = rfc3339(changes.expiresAt);
    if (changes.policy !== undefined) body.policy = changes.policy;
    return (await this.send('PUT', this.agentPath(publicKey), encode(body), true)) as AgentInfo;
  }

  /** Revokes the agent key: it signs nothing from this answer on. */
  async revokeAgent(publicKey: string): Promise<AgentRevocation> {
    return (await this.send('DELETE', this.agentPath(publicKey), undefined, true)) as AgentRevocation;
  }

  async getPolicy(): Promise<AccountPolicy> {
    return (await this.send('GET', `${this.accountPath()}/policy`, undefined, true)) as AccountPolicy;
  }

  /** Sets the freeze and the account policy document (`rules` null or absent: no account-wide rules). */
  async setPolicy(policy: { frozen: boolean; rules?: object | null }): Promise<AccountPolicy> {
    return (await this.send('PUT', `${this.accountPath()}/policy`, encode({ frozen: policy.frozen, rules: policy.rules ?? null }), true)) as AccountPolicy;
  }

  /** A page of the account's signed audit entries (signatures, refusals, agent and policy changes, exports). */
  async audit(query: AuditQuery = {}): Promise<AuditPage> {
    const params = new URLSearchParams();
    if (query.after !== undefined) params.set('after', String(query.after));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.agent !== undefined) params.set('agent', query.agent);
    if (query.from !== undefined) params.set('from', rfc3339(query.from));
    if (query.to !== undefined) params.set('to', rfc3339(query.to));
    const search = params.toString();
    return (await this.send('GET', `${this.accountPath()}/audit${search ? '?' + search : ''}`, undefined, true)) as AuditPage;
  }

  /** The audit chain's head (unauthenticated). */
  async auditHead(): Promise<AuditHead> {
    return (await this.send('GET', '/v1/audit/head', undefined, false)) as AuditHead;
  }

  /** The open approval requests of this client's account, oldest first (owner keys only); `cursor` is a page's `next`. */
  async listApprovals(options: { limit?: number; cursor?: string } = {}): Promise<ApprovalPage> {
    const params = new URLSearchParams();
    if (options.limit !== undefined) params.set('limit', String(options.limit));
    if (options.cursor !== undefined) params.set('cursor', options.cursor);
    const search = params.toString();
    return (await this.send('GET', `${this.accountPath()}/approvals${search ? '?' + search : ''}`, undefined, true)) as ApprovalPage;
  }

  /**
   * One approval request with the exact body it would sign (`request`) and, once signed, its `result`. `account` is the
   * account it belongs to (default: this client's): the owner, the agent that asked, or an approver may read it.
   */
  async getApproval(id: string, options: { account?: string } = {}): Promise<ApprovalRequest> {
    return (await this.send('GET', approvalPath(options.account ?? this.accountId, id), undefined, true)) as ApprovalRequest;
  }

  /**
   * Approves `account`'s request `id` as this client's account (an approver the rule names, with a full-access key).
   * `payloadHash` is the SHA-256 of the body approved (`payloadHashOf(request)` of the request read, its exact `body`, once
   * you reviewed it; or `payloadHashOf` the body you expect): another hash is 409 `payload-mismatch` and counts nothing. At the m-th approval
   * the answer is signed and holds `result`.
   */
  async approve(account: string, id: string, payloadHash: string): Promise<ApprovalRequest> {
    return this.vote(account, id, payloadHash, 'approve');
  }

  /** Rejects `account`'s request `id` (see `approve`). */
  async reject(account: string, id: string, payloadHash: string): Promise<ApprovalRequest> {
    return this.vote(account, id, payloadHash, 'reject');
  }

  /** Cancels one of this account's pending requests (owner keys only): it takes no vote after this and signs nothing. */
  async cancelApproval(id: string): Promise<ApprovalRequest> {
    return (await this.send('DELETE', approvalPath(this.accountId, id), undefined, true)) as ApprovalRequest;
  }

  /** Reads the request until it is no longer open (signed, exported, rejected, cancelled, expired, denied, failed) and returns it. */
  async waitForApproval(id: string, options: WaitOptions = {}): Promise<ApprovalRequest> {
    const interval = options.intervalMs ?? 1000;
    if (!(interval > 0)) throw new RangeError('intervalMs must be positive');
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    for (;;) {
      options.signal?.throwIfAborted();
      const request = await this.getApproval(id, { account: options.account });
      if (!isApprovalOpen(request)) return request;
      const left = deadline - Date.now();
      if (left <= 0) {
        const timeout = new Error(`approval request ${id} was still ${request.state} after ${options.timeoutMs} ms`);
        timeout.name = 'TimeoutError';
        throw timeout;
      }
      await sleep(Math.min(interval, left), options.signal);
    }
  }

  /**
   * Waits as `waitForApproval` and returns what the sign (or export) route would have answered (for an Ethereum
   * transaction `{signedTransaction, hash, from}`). A request that ended without a result for this caller throws `ApprovalEnded`.
   */
  async waitForApprovalResult<T = Record<string, unknown>>(id: string, options: WaitOptions = {}): Promise<T> {
    const request = await this.waitForApproval(id, options);
    if (request.result === undefined || request.result === null) throw new ApprovalEnded(request);
    return request.result as T;
  }

  /**
   * Sets (or replaces) the account's webhook (owner keys only): each audit entry whose kind is in `events` (`pending`,
   * `approved`, `rejected`, `signed`, …) is posted to `url`. The answer holds the HMAC `secret`, this once.
   */
  async setWebhook(url: string, events: string[]): Promise<CreatedWebhook> {
    return (await this.send('PUT', `${this.accountPath()}/webhook`, encode({ url, events }), true)) as CreatedWebhook;
  }

  /** The webhook without its secret; a 404 `webhook-not-found` problem when there is none. */
  async getWebhook(): Promise<Webhook> {
    return (await this.send('GET', `${this.accountPath()}/webhook`, undefined, true)) as Webhook;
  }

  /** Removes the webhook; a 404 `webhook-not-found` problem when there is none. */
  async deleteWebhook(): Promise<WebhookDeletion> {
    return (await this.send('DELETE', `${this.accountPath()}/webhook`, undefined, true)) as WebhookDeletion;
  }

  /** `/v1/ready` once ready; throws a 503 `KeystoreProblem` whose body lists the boot steps before that. */
  async ready(): Promise<unknown> {
    return this.send('GET', '/v1/ready', undefined, false);
  }

  async attestation(): Promise<unknown> {
    return this.send('GET', '/v1/attestation', undefined, false);
  }

  private async vote(account: string, id: string, payloadHash: string, vote: 'approve' | 'reject'): Promise<ApprovalRequest> {
    return (await this.send('POST', `${approvalPath(account, id)}/${vote}`, encode({ payloadHash }), true)) as ApprovalRequest;
  }

  private accountPath(): string {
    return `/v1/accounts/${encodeURIComponent(this.accountId)}`;
  }

  private agentPath(publicKey: string): string {
    // Sent as written: the keystore signs over its decoded path, where an escaped ':' would differ. A NEAR key
    // (ed25519:<base58>) needs no escaping; anything that would is not one.
    if (!/^[A-Za-z0-9:]+$/.test(publicKey)) throw new TypeError("an agent key is 'ed25519:<base58>'");
    return `${this.accountPath()}/agents/${publicKey}`;
  }

  private async send(method: string, pathAndQuery: string, body: Uint8Array | undefined, signed: boolean, idempotencyKey?: string): Promise<unknown> {
    const target = new URL(this.url.pathname.replace(/\/$/, '') + pathAndQuery, this.url);
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
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
    // 202 is not a signature: the request waits for m-of-n approvals (the answer is the approval request).
    if (response.status === 202 && isObject(json) && json.state === 'pending' && typeof json.id === 'string') {
      throw new ApprovalPending(json as unknown as ApprovalRequest, json);
    }
    if (response.ok && json !== undefined) return json;
    throw toProblem(response.status, isObject(json) ? json : {}, response.statusText);
  }
}

function approvalPath(account: string, id: string): string {
  // The id goes into the path as written (the keystore makes 22 base64url characters): anything else could change the route.
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(id)) throw new TypeError("an approval request id is base64url (the request's 'id')");
  return `/v1/accounts/${encodeURIComponent(account)}/approvals/${id}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toProblem(status: number, problem: Record<string, unknown>, statusText: string): KeystoreProblem {
  return new KeystoreProblem(
    status,
    typeof problem.type === 'string' ? problem.type : `${KeystoreProblem.typePrefix}http-${status}`,
    typeof problem.title === 'string' ? problem.title : statusText,
    typeof problem.detail === 'string' ? problem.detail : undefined,
    typeof problem.traceId === 'string' ? problem.traceId : undefined,
    problem,
  );
}

function encode(body: object): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(body));
}

/** The keystore takes RFC 3339 with an offset; `Date.toISOString()` is that, in UTC. */
function rfc3339(at: Date | string): string {
  return typeof at === 'string' ? at : at.toISOString();
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
