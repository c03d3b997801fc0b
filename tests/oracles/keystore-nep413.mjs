// Signs a keystore request credential with near-api-js's own NEP-413 signer (KeyPairSigner), as a
// NEAR wallet or agent would. stdin: {secretKey: "ed25519:<base58 of 64 bytes>", accountId, message,
// recipient, nonce: base64}; stdout: {publicKey: "ed25519:…", signature: base64}.
import { KeyPair, KeyPairSigner } from 'near-api-js';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const signer = new KeyPairSigner(KeyPair.fromString(input.secretKey));
const signed = await signer.signNep413Message(input.accountId, {
  message: input.message,
  recipient: input.recipient,
  nonce: Buffer.from(input.nonce, 'base64'),
});
process.stdout.write(JSON.stringify({
  publicKey: signed.publicKey.toString(),
  signature: Buffer.from(signed.signature).toString('base64'),
}));
