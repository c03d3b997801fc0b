import { createHash } from 'node:crypto';

/** The states of an approval request as the keystore writes them. */
export type ApprovalState = 'pending' | 'signing' | 'signed' | 'exported' | 'denied' | 'failed' | 'rejected' | 'cancelled' | 'expired';

export interface ApprovalVote {
  account: string;
  at: string;
}

/**
 * A request an agent made that waits for (or went through) m-of-n approvals. `payloadHash` is the SHA-256 (hex) of the
 * exact body the agent sent, which a vote names; `request` is that body (shown by `getApproval` only) and `result` what
 * the sign route would have answered, once signed (an export's result is shown to the owner only).
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

/** The SHA-256 (lowercase hex) of a request body: the payload hash a vote names. */
export function payloadHashOf(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
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
