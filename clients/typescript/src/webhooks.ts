import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers of a webhook delivery. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-keystore-signature';
export const WEBHOOK_EVENT_HEADER = 'x-keystore-event';
/** The delivery's id, the same on every retry: ignore one already handled. */
export const WEBHOOK_DELIVERY_HEADER = 'x-keystore-delivery';

/** The account's webhook as `getWebhook` shows it: never its secret. */
export interface Webhook {
  account: string;
  url: string;
  events: string[];
  createdAt: string;
}

/** `setWebhook`'s answer, the only one with the HMAC `secret` (32 bytes, base64url): give it to the receiver. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

export interface WebhookDeletion {
  account: string;
  deleted: boolean;
}

/**
 * The body of a delivery: audit entry `sequence` of `account`, of kind `kind` (`pending`, `approved`, `signed`, …). `id` is
 * the same on every retry; `requestId` names the approval request the entry is about. Parse it only after
 * `verifyWebhookSignature` accepted the exact bytes.
 */
export interface WebhookNotification {
  id: string;
  account: string;
  kind: string;
  sequence: number;
  at: string;
  chain?: string;
  payloadHash?: string;
  rule?: string;
  requestId?: string;
}

/**
 * Whether `header` (`X-Keystore-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`) signs exactly
 * `body` (the bytes received, before any parsing: a string is taken as its UTF-8 bytes) with `secret` (the base64url text
 * `setWebhook` answered), at a time within `toleranceSeconds` of `nowSeconds`. Compared in constant time; a missing or
 * malformed header is false; a secret that is not base64url throws (without the secret in the message).
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: Uint8Array | string,
  toleranceSeconds = 300,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]+$/.test(secret)) throw new TypeError('the webhook secret is the base64url text the keystore answered');
  const key = Buffer.from(secret, 'base64url');
  try {
    const parsed = parseSignatureHeader(header);
    if (!parsed) return false;
    if (Math.abs(nowSeconds - Number(parsed.t)) > toleranceSeconds) return false;
    const expected = createHmac('sha256', key).update(parsed.t + '.').update(body).digest();
    return timingSafeEqual(expected, Buffer.from(parsed.v1, 'hex'));
  } finally {
    key.fill(0);
  }
}

/** `t=<digits>` and `v1=<64 hex>`, each once; other members are ignored (a later scheme may add some). */
function parseSignatureHeader(header: string | null | undefined): { t: string; v1: string } | undefined {
  if (typeof header !== 'string' || header.length === 0 || header.length > 1024) return undefined;
  let t: string | undefined;
  let v1: string | undefined;
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 't') {
      if (t !== undefined || !/^\d{1,18}$/.test(value)) return undefined;
      t = value;
    } else if (name === 'v1') {
      if (v1 !== undefined || !/^[0-9a-fA-F]{64}$/.test(value)) return undefined;
      v1 = value;
    }
  }
  return t !== undefined && v1 !== undefined ? { t, v1 } : undefined;
}
