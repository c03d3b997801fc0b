// Oracle for the Ethereum sign route's serialized form under agent policies: ethers serializes the unsigned
// transactions ({"transaction": unsignedSerialized}) and parses the signed ones the keystore answers.
// stdin: {"serialize": [ethers TransactionLike with decimal-string big numbers], "parse": ["0x… signed"]}
// stdout: {"serialized": ["0x…"], "parsed": [{from, to, value, data, chainId, nonce, type, unsignedSerialized}]}
import { Transaction } from 'ethers';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const { serialize = [], parse = [] } = JSON.parse(input);

const serialized = serialize.map(fields => Transaction.from(fields).unsignedSerialized);
const parsed = parse.map(raw => {
  const tx = Transaction.from(raw);
  return {
    from: tx.from, to: tx.to, value: tx.value.toString(), data: tx.data, chainId: tx.chainId.toString(), nonce: tx.nonce, type: tx.type,
    unsignedSerialized: tx.unsignedSerialized,
  };
});
console.log(JSON.stringify({ serialized, parsed }));
