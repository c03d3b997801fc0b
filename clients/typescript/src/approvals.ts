import { createHash } from 'node:crypto';

/** The states of an approval request as the keystore writes them. */
export type ApprovalState = 'pending' | 'signing' | 'signed' | 'exported' | 'denied' | 'failed' | 'rejected' | 'cancelled' | 'expired';

export interface ApprovalVote {
  account: string;
  at: string;
}

/**
 * A request an agent made that waits for (or went through) m-of-n approvals. `payloadHash` is the SHA-256 (hex) of the
 * exact body the agent sent, which a vote names; `body` is that body exactly (base64url, shown by `getApproval` only:
 * `exactBody` decodes it, `payloadHashOf(request)` hashes it), `request` the same body parsed, for reading (re-serialized,
 * so its bytes can differ), and `result` what the sign route would have answered, once signed (an export's result is
 * shown to the owner only).
 */
export interface ApprovalRequest {
  id: string;
  account: string;
  agent: string;
  chain: string;
  state: ApprovalState;
  payloadHash: string;
  rule: string;
  required: number;
  approvers: string[];
  approvals: ApprovalVote[];
  rejections: ApprovalVote[];
  pendingApprovers: string[];
  createdAt: string;
  expiresAt: string;
  finishedAt: string | null;
  /** Set when the policy check at the last approval refused it. */
  deniedRule?: string;
  reason?: string;
  result?: Record<string, unknown>;
  request?: Record<string, unknown>;
  /** The exact bytes the agent sent, base64url without padding (`getApproval` only). */
  body?: string;
}

/** A page of the account's open requests, oldest first; `next` is the cursor of the next page, null on the last. */
export interface ApprovalPage {
  account: string;
  approvals: ApprovalRequest[];
  next: string | null;
}

/** Still waiting for votes, or being signed after the last one. */
export function isApprovalOpen(request: ApprovalRequest): boolean {
  return request.state === 'pending' || request.state === 'signing';
}

/** The exact bytes the agent sent (`body` decoded); undefined where the keystore shows no body (lists, votes). */
export function exactBody(request: ApprovalRequest): Uint8Array | undefined {
  return request.body === undefined ? undefined : new Uint8Array(Buffer.from(request.body, 'base64url'));
}

/**
 * The SHA-256 (lowercase hex) of a request body: the payload hash a vote names. Given an approval request read by
 * `getApproval`, of its exact `body` (not of `request`, whose re-serialized bytes can hash differently).
 */
export function payloadHashOf(body: Uint8Array | string | ApprovalRequest): string {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    const bytes = exactBody(body);
    if (bytes === undefined) throw new TypeError('this approval request shows no body; read it with getApproval');
    return createHash('sha256').update(bytes).digest('hex');
  }
  return createHash('sha256').update(body).digest('hex');
}

/** Whether the exact body an approval request shows hashes to its `payloadHash`: what an approver checks before voting. */
export function bodyMatchesPayloadHash(request: ApprovalRequest): boolean {
  return request.body !== undefined && payloadHashOf(request) === request.payloadHash.toLowerCase();
}

/**
 * An approval request ended without a result the caller may read: rejected, cancelled, expired, denied by the policy
 * check at the last approval, failed, or an export whose result only the owner sees. `request` is it as last read.
 */
export class ApprovalEnded extends Error {
  constructor(readonly request: ApprovalRequest) {
    super(`approval request ${request.id} ended '${request.state}'${request.deniedRule ? ` (rule ${request.deniedRule})` : ''} without a result for this caller`);
    this.name = 'ApprovalEnded';
  }

  get state(): ApprovalState {
    return this.request.state;
  }
}
