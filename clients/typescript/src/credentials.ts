import { readFile } from 'node:fs/promises';
import { KeyPair, type KeyPairString } from 'near-api-js';

/**
 * Reads a NEAR CLI credentials file (`~/.near-credentials/<network>/<account>.json`:
 * `{"account_id", "public_key", "private_key": "ed25519:<base58 of 64 bytes>"}`). The secret is never put in an error.
 */
export async function loadCredentials(path: string): Promise<{ accountId: string; keyPair: KeyPair }> {
  const json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  const accountId = json.account_id;
  const secret = json.private_key ?? json.secret_key;
  if (typeof accountId !== 'string' || typeof secret !== 'string') {
    throw new Error(`${path} is not a NEAR CLI credentials file (account_id and private_key)`);
  }
  let keyPair: KeyPair;
  try {
    keyPair = KeyPair.fromString(secret as KeyPairString);
  } catch {
    throw new Error(`the private_key in ${path} is not a NEAR ed25519 secret key`);
  }
  if (typeof json.public_key === 'string' && json.public_key !== keyPair.getPublicKey().toString()) {
    throw new Error(`the private_key in ${path} does not match its public_key`);
  }
  return { accountId, keyPair };
}
