import type { ApprovalRequest } from './approvals.js';

/**
 * A sign (or export) request the agent's policy holds for m-of-n approvals: HTTP 202 with the approval request
 * (`{id, state: 'pending', payloadHash, pendingApprovers, …}`). Nothing is signed yet; `requestId` names it for
 * `getApproval` and `waitForApprovalResult`. Not a `KeystoreProblem`: the request was accepted, not refused.
 */
export class ApprovalPending extends Error {
  constructor(
    readonly request: ApprovalRequest,
    /** The whole answer. */
    readonly body: Record<string, unknown>,
  ) {
    super(`the request waits for approvals (request ${request.id}, ${request.required} of ${request.approvers?.length}); nothing is signed until they approve`);
    this.name = 'ApprovalPending';
  }

  get requestId(): string {
    return this.request.id;
  }

  /** The SHA-256 (hex) of the body sent: the hash the approvers' votes name. */
  get payloadHash(): string {
    return this.request.payloadHash;
  }
}
