// Independent oracle: verifies a TDX quote with @phala/dcap-qvl (JS port of Phala's dcap-qvl) and
// prints {"status","advisoryIds"} or {"error"} as one JSON line.
// usage: node dcap-verify.mjs --quote FILE --collateral FILE --at UNIX [--root-ca FILE]
// The quote file may be raw bytes or hex text; --root-ca (DER) replaces Intel's root (QuoteVerifier.newWithRootCa).
import { readFileSync } from 'node:fs';
import dcap from '@phala/dcap-qvl';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));

function readQuote(path) {
  const buf = readFileSync(path);
  const text = buf.toString('latin1').trim().replace(/^0x/i, '');
  return /^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0 ? Buffer.from(text, 'hex') : buf;
}

try {
  const quote = readQuote(args.quote);
  const collateral = JSON.parse(readFileSync(args.collateral, 'utf8'));
  const at = Number(args.at);
  const verifier = args['root-ca']
    ? dcap.QuoteVerifier.newWithRootCa(readFileSync(args['root-ca']))
    : dcap.QuoteVerifier.newProd();
  const r = verifier.verify(quote, collateral, at);
  console.log(JSON.stringify({ status: r.status, advisoryIds: r.advisory_ids }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e && e.message || e) }));
  process.exitCode = 1;
}
