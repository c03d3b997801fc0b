// Oracle for Keystore.Chains Bitcoin Taproot, using @scure/btc-signer and @noble/curves (independent of the C# code).
// stdin ops:
//  {"op": "addresses", "network": "mainnet|testnet|regtest", "internalKeys": ["hex32", …]} → {"addresses": [...]}
//  {"op": "build", "network": …, "ours": "hex32 x-only", "otherPrivateKey": "hex32"}
//     → {"psbt": base64}: input 0 ours (SIGHASH_DEFAULT), input 1 someone else's P2TR, input 2 ours with
//       SIGHASH_ALL|ANYONECANPAY, input 3 ours with SIGHASH_SINGLE; four outputs.
//  {"op": "verify", "network": …, "psbt": base64, "ours": "hex32", "otherPrivateKey": "hex32"}
//     → checks every tapKeySig of ours against scure's BIP341 sighash with schnorr.verify, that the
//       foreign input is untouched, then signs it, finalizes and extracts. {"ourInputs": [...], "foreignUntouched": bool, "txHex": …}
import * as btc from '@scure/btc-signer';
import { schnorr } from '@noble/curves/secp256k1.js';
import { hex, base64 } from '@scure/base';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const networks = { mainnet: btc.NETWORK, testnet: btc.TEST_NETWORK, regtest: { ...btc.TEST_NETWORK, bech32: 'bcrt' } };
const network = networks[input.network];
const out = {};

if (input.op === 'addresses') {
  out.addresses = input.internalKeys.map(k => btc.p2tr(hex.decode(k), undefined, network).address);
} else if (input.op === 'build') {
  const ours = btc.p2tr(hex.decode(input.ours), undefined, network);
  const other = btc.p2tr(schnorr.getPublicKey(hex.decode(input.otherPrivateKey)), undefined, network);
  const tx = new btc.Transaction();
  const txid = i => hex.encode(new Uint8Array(32).fill(i + 1));
  tx.addInput({ txid: txid(0), index: 0, witnessUtxo: { script: ours.script, amount: 50_000n }, tapInternalKey: hex.decode(input.ours) });
  tx.addInput({ txid: txid(1), index: 1, witnessUtxo: { script: other.script, amount: 70_000n }, tapInternalKey: other.tapInternalKey });
  tx.addInput({ txid: txid(2), index: 2, witnessUtxo: { script: ours.script, amount: 30_000n }, sighashType: btc.SigHash.ALL_ANYONECANPAY });
  tx.addInput({ txid: txid(3), index: 3, witnessUtxo: { script: ours.script, amount: 20_000n }, sighashType: btc.SigHash.SINGLE });
  tx.addOutputAddress(other.address, 100_000n, network);
  tx.addOutputAddress(ours.address, 40_000n, network);
  tx.addOutputAddress(other.address, 15_000n, network);
  tx.addOutputAddress(ours.address, 5_000n, network); // SIGHASH_SINGLE of input 3 commits to output 3
  out.psbt = base64.encode(tx.toPSBT());
} else if (input.op === 'verify') {
  const ours = btc.p2tr(hex.decode(input.ours), undefined, network);
  const tx = btc.Transaction.fromPSBT(base64.decode(input.psbt), { allowUnknownInputs: true, allowUnknownOutputs: true });
  const scripts = [], amounts = [];
  for (let i = 0; i < tx.inputsLength; i++) {
    const inp = tx.getInput(i);
    scripts.push(inp.witnessUtxo.script);
    amounts.push(inp.witnessUtxo.amount);
  }
  out.ourInputs = [];
  for (let i = 0; i < tx.inputsLength; i++) {
    const inp = tx.getInput(i);
    if (hex.encode(inp.witnessUtxo.script) !== hex.encode(ours.script)) continue;
    const sig = inp.tapKeySig;
    const hashType = sig.length === 65 ? sig[64] : 0;
    const sighash = tx.preimageWitnessV1(i, scripts, hashType, amounts);
    out.ourInputs.push({
      index: i, hashType, sigLength: sig.length,
      internalKey: inp.tapInternalKey ? hex.encode(inp.tapInternalKey) : null,
      valid: schnorr.verify(sig.subarray(0, 64), sighash, ours.tweakedPubkey),
    });
  }
  const foreign = tx.getInput(1);
  out.foreignUntouched = foreign.tapKeySig === undefined && foreign.finalScriptWitness === undefined;
  tx.signIdx(hex.decode(input.otherPrivateKey), 1);
  tx.finalize();
  out.txHex = hex.encode(tx.extract());
  out.isFinal = tx.isFinal;
}
process.stdout.write(JSON.stringify(out));
