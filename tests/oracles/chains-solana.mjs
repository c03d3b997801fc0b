// Oracle for Keystore.Chains Solana signing, using @solana/web3.js and @noble/curves (independent of the C# code).
// stdin ops:
//  {"op": "build", "signer": base58} → {"legacyMessage", "legacyTransaction", "v0Message", "v0Transaction"} (base64),
//     the signer being the fee payer; the v0 message uses an address lookup table; "base58": the same four in base58.
//     Messages: Transaction.serializeMessage(), VersionedTransaction.message.serialize(); transactions, unsigned:
//     Transaction.serialize({requireAllSignatures: false}), VersionedTransaction.serialize().
//  {"op": "verify", "signer": base58, "signatures": [{"message": b64, "signature": b58}], "legacyTransaction": text, "v0Transaction": text,
//     "encoding": "base64" (default) | "base58" (of the two transactions)} → {"signatures": [bool], "legacyVerified": bool, "v0Verified": bool}
import { Keypair, PublicKey, SystemProgram, Transaction, TransactionMessage, VersionedTransaction, AddressLookupTableAccount } from '@solana/web3.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base58 } from '@scure/base';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const b64 = b => Buffer.from(b).toString('base64');
const out = {};
const signer = new PublicKey(input.signer);

if (input.op === 'build') {
  const blockhash = Keypair.generate().publicKey.toBase58();
  const to = Keypair.generate().publicKey;
  const legacy = new Transaction({ feePayer: signer, recentBlockhash: blockhash })
    .add(SystemProgram.transfer({ fromPubkey: signer, toPubkey: to, lamports: 12345 }));
  out.legacyMessage = b64(legacy.serializeMessage());
  out.legacyTransaction = b64(legacy.serialize({ requireAllSignatures: false, verifySignatures: false }));

  const looked = Keypair.generate().publicKey;
  const table = new AddressLookupTableAccount({
    key: Keypair.generate().publicKey,
    state: { deactivationSlot: BigInt('18446744073709551615'), lastExtendedSlot: 0, lastExtendedSlotStartIndex: 0, addresses: [looked] },
  });
  const message = new TransactionMessage({
    payerKey: signer, recentBlockhash: blockhash,
    instructions: [SystemProgram.transfer({ fromPubkey: signer, toPubkey: looked, lamports: 777 })],
  }).compileToV0Message([table]);
  if (message.addressTableLookups.length !== 1) throw new Error('expected a lookup table in the v0 message');
  const v0 = new VersionedTransaction(message);
  out.v0Message = b64(message.serialize());
  out.v0Transaction = b64(v0.serialize());
  out.base58 = Object.fromEntries(['legacyMessage', 'legacyTransaction', 'v0Message', 'v0Transaction']
    .map(k => [k, base58.encode(Buffer.from(out[k], 'base64'))]));
} else if (input.op === 'verify') {
  out.signatures = input.signatures.map(s => ed25519.verify(base58.decode(s.signature), Buffer.from(s.message, 'base64'), signer.toBytes()));
  const bytes = t => input.encoding === 'base58' ? Buffer.from(base58.decode(t)) : Buffer.from(t, 'base64');
  const legacy = Transaction.from(bytes(input.legacyTransaction));
  out.legacyVerified = legacy.verifySignatures() && legacy.signatures[0].publicKey.equals(signer);
  const v0 = VersionedTransaction.deserialize(bytes(input.v0Transaction));
  const msg = v0.message.serialize();
  out.v0Verified = v0.signatures.length === v0.message.header.numRequiredSignatures
    && v0.message.staticAccountKeys[0].equals(signer)
    && ed25519.verify(v0.signatures[0], msg, signer.toBytes());
}
process.stdout.write(JSON.stringify(out));
