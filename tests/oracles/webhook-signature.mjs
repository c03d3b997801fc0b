// Verifies keystore webhook deliveries as a receiver would, with Node's own crypto (independent of the keystore's .NET
// code): X-Keystore-Signature is "t=<unix seconds>,v1=<hex HMAC-SHA256(key, t + '.' + body)>", the key being the
// base64url-decoded secret the PUT answered; compared in constant time, with a timestamp tolerance against replays.
// stdin: {"items": [{"secret": "<base64url>", "header": "t=…,v1=…", "body": "<base64 of the exact bytes>", "now": <unix s>, "toleranceSeconds": 300}]}
// stdout: {"results": [{"valid": bool, "reason": "ok" | "malformed" | "stale" | "mismatch"}]}
import { createHmac, timingSafeEqual } from 'node:crypto';

export function verifyKeystoreWebhook(secret, header, rawBody, nowSeconds, toleranceSeconds = 300) {
  const parts = Object.fromEntries(String(header).split(',').map(p => p.split('=', 2)));
  if (!/^\d+$/.test(parts.t ?? '') || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return 'malformed';
  if (Math.abs(nowSeconds - Number(parts.t)) > toleranceSeconds) return 'stale';
  const expected = createHmac('sha256', Buffer.from(secret, 'base64url')).update(parts.t + '.').update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex')) ? 'ok' : 'mismatch';
}

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const results = input.items.map(i => {
  const reason = verifyKeystoreWebhook(i.secret, i.header, Buffer.from(i.body, 'base64'), i.now, i.toleranceSeconds ?? 300);
  return { valid: reason === 'ok', reason };
});
process.stdout.write(JSON.stringify({ results }));
