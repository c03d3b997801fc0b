import { createHash, randomBytes } from 'node:crypto';
import { KeyPairSigner, type KeyPair } from 'near-api-js';

/** The keystore's default `Keystore:ServiceName`, the NEP-413 recipient. */
export const DEFAULT_RECIPIENT = 'near-tee-keystore';

/**
 * The `Authorization` header value (`NEAR <base64url JSON>`) for one request: near-api-js's NEP-413 `signNep413Message`
 * over `"<METHOD> <path and query>\n<sha256 hex of the body>\n<timestampMs>"`.
 */
export async function authorizationHeader(
  keyPair: KeyPair,
  accountId: string,
  method: string,
  pathAndQuery: string,
  body: Uint8Array,
  recipient = DEFAULT_RECIPIENT,
  timestampMs = Date.now(),
  nonce: Uint8Array = randomBytes(32),
): Promise<string> {
  const message = `${method} ${pathAndQuery}\n${createHash('sha256').update(body).digest('hex')}\n${timestampMs}`;
  const signed = await new KeyPairSigner(keyPair).signNep413Message(accountId, { message, recipient, nonce });
  const credential = {
    accountId,
    publicKey: signed.publicKey.toString(),
    nonce: Buffer.from(nonce).toString('base64'),
    timestampMs,
    signature: Buffer.from(signed.signature).toString('base64'),
  };
  return 'NEAR ' + Buffer.from(JSON.stringify(credential)).toString('base64url');
}
