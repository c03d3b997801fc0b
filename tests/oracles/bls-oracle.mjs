// Independent BLS12-381 oracle (@noble/curves) for Keystore.Near's own implementation.
// stdin: {scalars: [hex32], messages: [hex], dst, pairs: [{a: g1hex, b: g2hex, c: g1hex, d: g2hex}], g1: [hex], g2: [hex]}
// stdout: {g1Mul: [hex], g2Mul: [hex], hashes: [hex], pairingsEqual: [bool], g1Valid: [bool], g2Valid: [bool]}
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const hex = b => Buffer.from(b).toString('hex');
const G1 = bls.G1.Point, G2 = bls.G2.Point;
const valid = (P, h) => { try { const p = P.fromHex(h); p.assertValidity(); return true; } catch { return false; } };
const out = {
  g1Mul: input.scalars.map(s => hex(G1.BASE.multiply(BigInt('0x' + s)).toBytes(true))),
  g2Mul: input.scalars.map(s => hex(G2.BASE.multiply(BigInt('0x' + s)).toBytes(true))),
  hashes: input.messages.map(m => hex(bls.G1.hashToCurve(Buffer.from(m, 'hex'), { DST: input.dst }).toBytes(true))),
  pairingsEqual: input.pairs.map(({ a, b, c, d }) =>
    bls.fields.Fp12.eql(bls.pairing(G1.fromHex(a), G2.fromHex(b)), bls.pairing(G1.fromHex(c), G2.fromHex(d)))),
  g1Valid: input.g1.map(h => valid(G1, h)),
  g2Valid: input.g2.map(h => valid(G2, h)),
};
process.stdout.write(JSON.stringify(out));
