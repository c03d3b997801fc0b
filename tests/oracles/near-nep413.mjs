// Oracle for Keystore.Near NEP-413 hashing: signs with near-api-js's KeyPairSigner.signNep413Message.
// stdin: {secretKey, accountId, message, recipient, nonce: base64, callbackUrl?}; stdout: {publicKey, signature: base64}.
import { KeyPair, KeyPairSigner } from 'near-api-js';
const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const signer = new KeyPairSigner(KeyPair.fromString(input.secretKey));
const signed = await signer.signNep413Message(input.accountId, {
  message: input.message, recipient: input.recipient, nonce: Buffer.from(input.nonce, 'base64'),
  ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
});
process.stdout.write(JSON.stringify({ publicKey: signed.publicKey.toString(), signature: Buffer.from(signed.signature).toString('base64') }));
