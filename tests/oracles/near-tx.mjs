// Independent oracle for Keystore.Near transaction encoding: builds the same transaction with near-api-js,
// returns its borsh bytes, near-api-js's own signed transaction, and whether near-api-js accepts the
// C# signature. stdin: {secretKey, signerId, receiverId, nonce: "decimal", blockHash: base58,
// actions: [{kind, ...}], csharpSignature: base64}; stdout: {tx, signedTx, hash, csharpSignatureValid}.
import { KeyPair, PublicKey, actions, createTransaction, encodeTransaction, SignedTransaction, Signature, baseDecode, baseEncode, decodeSignedTransaction } from 'near-api-js';
import { sha256 } from '@noble/hashes/sha2.js';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const keyPair = KeyPair.fromString(input.secretKey);

function toAction(a) {
  switch (a.kind) {
    case 'createAccount': return actions.createAccount();
    case 'deployContract': return actions.deployContract(Buffer.from(a.code, 'base64'));
    case 'functionCall': return actions.functionCall(a.methodName, Buffer.from(a.args, 'base64'), BigInt(a.gas), BigInt(a.deposit), x => x);
    case 'transfer': return actions.transfer(BigInt(a.deposit));
    case 'stake': return actions.stake(BigInt(a.stake), PublicKey.fromString(a.publicKey));
    case 'addFullAccessKey': return actions.addFullAccessKey(PublicKey.fromString(a.publicKey));
    case 'addFunctionCallAccessKey':
      return actions.addFunctionCallAccessKey(PublicKey.fromString(a.publicKey), a.receiverId, a.methodNames,
        a.allowance == null ? undefined : BigInt(a.allowance));
    case 'deleteKey': return actions.deleteKey(PublicKey.fromString(a.publicKey));
    case 'deleteAccount': return actions.deleteAccount(a.beneficiaryId);
    default: throw new Error('unknown action ' + a.kind);
  }
}

const tx = createTransaction(input.signerId, keyPair.getPublicKey(), input.receiverId, BigInt(input.nonce),
  input.actions.map(toAction), baseDecode(input.blockHash));
const bytes = encodeTransaction(tx);
const hash = sha256(bytes);
const { signature } = keyPair.sign(hash);
const signed = new SignedTransaction({ transaction: tx, signature: new Signature({ keyType: 0, data: signature }) });
const signedBytes = signed.encode();
// Decode the C# SignedTransaction bytes with near-api-js and verify its signature over its own transaction.
let csharpSignatureValid = false;
if (input.csharpSignedTx) {
  const decoded = decodeSignedTransaction(Buffer.from(input.csharpSignedTx, 'base64'));
  const h = sha256(encodeTransaction(decoded.transaction));
  const sigData = decoded.signature.ed25519Signature?.data ?? decoded.signature.data;
  csharpSignatureValid = keyPair.getPublicKey().verify(h, Uint8Array.from(sigData));
}
process.stdout.write(JSON.stringify({
  tx: Buffer.from(bytes).toString('base64'),
  signedTx: Buffer.from(signedBytes).toString('base64'),
  hash: baseEncode(hash),
  csharpSignatureValid,
}));
