export { KeystoreClient } from './client.js';
export type { Chain, KeyInfo, KeystoreClientOptions, SignedEthereumTransaction, SignedPsbt, SignedSolanaTransaction } from './client.js';
export { KeystoreProblem } from './problem.js';
export { loadCredentials } from './credentials.js';
export { authorizationHeader, DEFAULT_RECIPIENT } from './auth.js';
