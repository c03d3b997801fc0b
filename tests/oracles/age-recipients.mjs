// Bech32 strings for the age recipient parser's tests, encoded with @scure/base (BIP173, no length limit as
// age allows), so the malformed recipients are built independently of the parser under test.
// stdin: {"items": [{"hrp": "age", "hex": "<bytes>"}]}
// stdout: {"encoded": ["age1…", …]}
import { bech32 } from '@scure/base';
import { hex } from '@scure/base';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const encoded = input.items.map(i => bech32.encode(i.hrp, bech32.toWords(hex.decode(i.hex)), false));
process.stdout.write(JSON.stringify({ encoded }));
