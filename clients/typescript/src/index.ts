export { KeystoreClient } from './client.js';
export type {
  AccountExport, AccountPolicy, AgentInfo, AgentRevocation, AuditEntry, AuditHead, AuditPage, AuditQuery, Chain, ExportItem, KeyInfo, KeystoreClientOptions,
  NewAgent, SignBatchItem, SignDecision, SignedEthereumTransaction, SignedPsbt, SignedSolanaTransaction, SignOptions, SpendingWindow, WaitOptions,
} from './client.js';
export { ApprovalEnded, bodyMatchesPayloadHash, exactBody, isApprovalOpen, payloadHashOf } from './approvals.js';
export type { ApprovalPage, ApprovalRequest, ApprovalState, ApprovalVote } from './approvals.js';
export { verifyWebhookSignature, WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from './webhooks.js';
export type { CreatedWebhook, Webhook, WebhookDeletion, WebhookNotification } from './webhooks.js';
export { ApprovalPending } from './pending.js';
export { KeystoreProblem } from './problem.js';
export { loadCredentials } from './credentials.js';
export { authorizationHeader, DEFAULT_RECIPIENT } from './auth.js';
