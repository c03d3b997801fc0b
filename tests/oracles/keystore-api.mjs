// Builds inputs for, and checks outputs of, the keystore's sign API with independent libraries.
// stdin: {"op": "...", ...}; stdout: JSON. Ops:
//   eth-parse      {signedTransaction}               -> {from, chainId, type, nonce, to, value}
//   eth-message    {message, signature}              -> {address}
//   psbt-build     {publicKey: "secp256k1:<b58 x‖y>", network} -> {psbt, foreignPsbt}
//   psbt-check     {psbt, publicKey, network}        -> {ourInputValid, foreignInputUntouched, finalized}
//   sol-message    {address}                          -> {message (base64), foreignMessage (base64)}
//   sol-verify     {message, signature, address}      -> {valid}
import { Transaction, verifyMessage } from 'ethers';
import * as btc from '@scure/btc-signer';
import { schnorr } from '@noble/curves/secp256k1.js';
import { ed25519 as ed } from '@noble/curves/ed25519.js';
import { base58, base64, hex } from '@scure/base';
import { PublicKey, TransactionMessage, SystemProgram, Keypair } from '@solana/web3.js';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const nets = { mainnet: btc.NETWORK, testnet: btc.TEST_NETWORK, regtest: { ...btc.TEST_NETWORK, bech32: 'bcrt' } };
const xonly = pk => base58.decode(pk.slice('secp256k1:'.length)).slice(0, 32);
const out = (o) => process.stdout.write(JSON.stringify(o, (k, v) => typeof v === 'bigint' ? v.toString() : v));

function build(outputScripts, amounts) {
  const tx = new btc.Transaction();
  outputScripts.forEach((script, i) => tx.addInput({ txid: hex.encode(new Uint8Array(32).fill(i + 1)), index: i, witnessUtxo: { script, amount: amounts[i] } }));
  tx.addOutputAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 15000n, btc.NETWORK);
  return tx;
}

switch (input.op) {
  case 'eth-parse': {
    const t = Transaction.from(input.signedTransaction);
    out({ from: t.from, chainId: t.chainId, type: t.type, nonce: t.nonce, to: t.to, value: t.value, hash: t.hash });
    break;
  }
  case 'eth-message':
    out({ address: verifyMessage(input.message, input.signature) });
    break;
  case 'psbt-build': {
    const ours = btc.p2tr(xonly(input.publicKey), undefined, nets[input.network]).script;
    const foreign = btc.p2wpkh(hex.decode('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798')).script;
    out({
      psbt: base64.encode(build([ours, foreign], [10000n, 20000n]).toPSBT(0)),
      foreignPsbt: base64.encode(build([foreign], [20000n]).toPSBT(0)),
    });
    break;
  }
  case 'psbt-check': {
    const tx = btc.Transaction.fromPSBT(base64.decode(input.psbt));
    const p2tr = btc.p2tr(xonly(input.publicKey), undefined, nets[input.network]);
    const i0 = tx.getInput(0), i1 = tx.getInput(1);
    const scripts = [i0.witnessUtxo.script, i1.witnessUtxo.script];
    const amounts = [i0.witnessUtxo.amount, i1.witnessUtxo.amount];
    const sig = i0.tapKeySig;
    const hash = tx.preimageWitnessV1(0, scripts, btc.SigHash.DEFAULT, amounts);
    const ourInputValid = !!sig && sig.length === 64 && schnorr.verify(sig, hash, p2tr.tweakedPubkey);
    const foreignInputUntouched = !i1.tapKeySig && !i1.partialSig && !i1.finalScriptWitness;
    tx.finalizeIdx(0);
    out({ ourInputValid, foreignInputUntouched, finalized: !!tx.getInput(0).finalScriptWitness });
    break;
  }
  case 'sol-message': {
    const payer = new PublicKey(input.address);
    const other = Keypair.fromSeed(new Uint8Array(32).fill(7)).publicKey;
    const blockhash = base58.encode(new Uint8Array(32).fill(9));
    const msg = (fee) => new TransactionMessage({ payerKey: fee, recentBlockhash: blockhash,
      instructions: [SystemProgram.transfer({ fromPubkey: fee, toPubkey: fee === payer ? other : payer, lamports: 5000 })] });
    out({
      message: base64.encode(msg(payer).compileToV0Message().serialize()),
      legacyMessage: base64.encode(msg(payer).compileToLegacyMessage().serialize()),
      foreignMessage: base64.encode(new TransactionMessage({ payerKey: other, recentBlockhash: blockhash,
        instructions: [SystemProgram.transfer({ fromPubkey: other, toPubkey: new PublicKey(new Uint8Array(32).fill(3)), lamports: 1 })] })
        .compileToV0Message().serialize()),
    });
    break;
  }
  case 'sol-verify':
    out({ valid: ed.verify(base58.decode(input.signature), base64.decode(input.message), base58.decode(input.address)) });
    break;
  default:
    throw new Error('unknown op ' + input.op);
}
