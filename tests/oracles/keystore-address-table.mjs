// Independent re-derivation of the keystore's address-pinning table (tests/Keystore.Tests/Vectors/address-pinning-table.json)
// from each row's master secret and NEAR account, following README "Key derivation" and nothing of the keystore's code:
// entropy = HMAC-SHA256(master, "near-tee-keystore:v1:user:" + account) (@noble/hashes), words and seed by @scure/bip39,
// Ethereum by ethers (BIP32 m/44'/60'/0'/0/i, EIP-55), Bitcoin by @scure/bip32 + @scure/btc-signer (BIP86 P2TR, bech32m),
// Solana by micro-key-producer (SLIP-0010 ed25519 m/44'/501'/i'/0') and @solana/web3.js; public keys in NEAR notation
// (secp256k1:<base58 of x‖y>, ed25519:<base58>) by @noble/curves and @scure/base.
// stdin: {"rows": [{"master", "account", "chain", "network"?, "index"}, ...]}
// stdout: {"rows": [{"mnemonic", "path", "publicKey", "address"}, ...]} in the same order
import { HDNodeWallet } from 'ethers';
import { HDKey } from '@scure/bip32';
import { entropyToMnemonic, mnemonicToSeedSync } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import * as btc from '@scure/btc-signer';
import { HDKey as Slip10 } from 'micro-key-producer/slip10.js';
import { Keypair } from '@solana/web3.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { base58 } from '@scure/base';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const networks = {
  mainnet: [btc.NETWORK, 0],
  testnet: [btc.TEST_NETWORK, 1],
  regtest: [{ ...btc.TEST_NETWORK, bech32: 'bcrt' }, 1],
};
const seeds = new Map();
function account(master, id) {
  const key = master + ' ' + id;
  if (!seeds.has(key)) {
    const entropy = hmac(sha256, Buffer.from(master, 'hex'), new TextEncoder().encode('near-tee-keystore:v1:user:' + id));
    const mnemonic = entropyToMnemonic(entropy, wordlist);
    seeds.set(key, { mnemonic, seed: mnemonicToSeedSync(mnemonic) });
  }
  return seeds.get(key);
}
const nearSecp = compressed => 'secp256k1:' + base58.encode(secp256k1.Point.fromBytes(compressed).toBytes(false).slice(1));
const out = [];
for (const row of input.rows) {
  const { mnemonic, seed } = account(row.master, row.account);
  const i = row.index;
  let path, publicKey, address;
  if (row.chain === 'ethereum') {
    path = `m/44'/60'/0'/0/${i}`;
    const node = HDNodeWallet.fromSeed(seed).derivePath(path);
    publicKey = nearSecp(Buffer.from(node.publicKey.slice(2), 'hex'));
    address = node.address;
  } else if (row.chain === 'bitcoin') {
    const [network, coin] = networks[row.network];
    path = `m/86'/${coin}'/0'/0/${i}`;
    const node = HDKey.fromMasterSeed(seed).derive(path);
    publicKey = nearSecp(node.publicKey);
    address = btc.p2tr(node.publicKey.slice(1), undefined, network).address;
  } else if (row.chain === 'solana') {
    path = `m/44'/501'/${i}'/0'`;
    const kp = Keypair.fromSeed(Slip10.fromMasterSeed(seed).derive(path).privateKey);
    publicKey = 'ed25519:' + base58.encode(kp.publicKey.toBytes());
    address = kp.publicKey.toBase58();
  } else {
    throw new Error('unknown chain ' + row.chain);
  }
  out.push({ mnemonic, path, publicKey, address });
}
process.stdout.write(JSON.stringify({ rows: out }));
