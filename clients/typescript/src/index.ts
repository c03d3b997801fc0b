export { KeystoreClient } from './client.js';
export type {
  AccountExport, AccountPolicy, AgentInfo, AgentRevocation, AuditEntry, AuditHead, AuditPage, AuditQuery, Chain, ExportItem, KeyInfo, KeystoreClientOptions,
  NewAgent, SignBatchItem, SignDecision, SignedEthereumTransaction, SignedPsbt, SignedSolanaTransaction, SignOptions, SpendingWindow,
} from './client.js';
export { ApprovalPending } from './pending.js';
export { KeystoreProblem } from './problem.js';
export { loadCredentials } from './credentials.js';
export { authorizationHeader, DEFAULT_RECIPIENT } from './auth.js';
