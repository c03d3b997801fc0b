/**
 * A sign request the account's policy holds for the owner's approval: HTTP 202
 * `{"status":"pending","requestId":"…","pending":{…}}`. Nothing is signed yet; `requestId` names the request the owner
 * approves or rejects. Not a `KeystoreProblem`: the request was accepted, not refused.
 */
export class ApprovalPending extends Error {
  constructor(
    readonly requestId: string,
    /** What the keystore says about the pending request (e.g. which rule asked for approval, until when). */
    readonly pending: Record<string, unknown>,
    /** The whole answer. */
    readonly body: Record<string, unknown>,
  ) {
    super(`the request waits for approval (request ${requestId}); nothing is signed until it is approved`);
    this.name = 'ApprovalPending';
  }
}
