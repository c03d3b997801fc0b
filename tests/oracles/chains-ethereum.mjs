// Oracle for Keystore.Chains Ethereum signing, using ethers v6 (independent of the C# code).
// stdin: {"transactions": ["0x…signed"], "messages": [{"message": "…", "bytes": bool, "signature": "0x…"}],
//         "typedData": [{"typedData": {types, primaryType, domain, message}, "signature": "0x…"}]}
// stdout: {"transactions": [{from, hash, type, chainId, nonce, to, value, data, gasLimit, gasPrice,
//          maxFeePerGas, maxPriorityFeePerGas, accessList, signatureValid}], "messages": [address], "typedData": [address]}
// Optional "build": [TransactionLike] → "built": [{json: tx.toJSON(), unsignedSerialized, unsignedHash}], what a caller using
// ethers hands the keystore to sign.
import { Transaction, verifyMessage, verifyTypedData, getBytes } from 'ethers';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const str = v => (v === null || v === undefined) ? null : v.toString();
const out = { transactions: [], messages: [], typedData: [], built: [] };
for (const like of input.build ?? []) {
  const tx = Transaction.from(like);
  out.built.push({ json: tx.toJSON(), unsignedSerialized: tx.unsignedSerialized, unsignedHash: tx.unsignedHash });
}
for (const raw of input.transactions ?? []) {
  const tx = Transaction.from(raw);
  out.transactions.push({
    from: tx.from, hash: tx.hash, type: tx.type, chainId: str(tx.chainId), nonce: tx.nonce, to: tx.to,
    value: str(tx.value), data: tx.data, gasLimit: str(tx.gasLimit), gasPrice: str(tx.gasPrice),
    maxFeePerGas: str(tx.maxFeePerGas), maxPriorityFeePerGas: str(tx.maxPriorityFeePerGas),
    accessList: tx.accessList, serializedMatches: tx.serialized === raw,
    // ethers normalizes s; a high-s signature would re-serialize differently.
    lowS: BigInt(tx.signature.s) <= 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n,
  });
}
for (const m of input.messages ?? []) {
  out.messages.push(verifyMessage(m.bytes ? getBytes(m.message) : m.message, m.signature));
}
for (const t of input.typedData ?? []) {
  const types = { ...t.typedData.types };
  delete types.EIP712Domain; // ethers derives the domain type itself
  out.typedData.push(verifyTypedData(t.typedData.domain, types, t.typedData.message, t.signature));
}
process.stdout.write(JSON.stringify(out));
