// Oracle for Keystore.Chains.Base58, using bs58 (the base58 package @solana/web3.js itself encodes addresses with).
// stdin: {"encode": [hex], "decode": [text]} → {"encoded": [text], "decoded": [hex | null]} (null: not base58).
import bs58 from 'bs58';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const decoded = input.decode.map(t => { const b = bs58.decodeUnsafe(t); return b === undefined ? null : Buffer.from(b).toString('hex'); });
process.stdout.write(JSON.stringify({ encoded: input.encode.map(h => bs58.encode(Buffer.from(h, 'hex'))), decoded }));
