// The wallet-import proof for a decrypted key export: what MetaMask, Phantom and Sparrow would show for it,
// computed with the libraries those ecosystems use, from the mnemonic and from each exported private key.
// Mnemonic: ethers (BIP44 m/44'/60'/0'/0/i, as MetaMask), micro-key-producer SLIP-0010 + @solana/web3.js
// (m/44'/501'/i'/0', as Phantom), @scure/bip32 + @scure/btc-signer (BIP86 m/86'/c'/0'/0/i P2TR, as Sparrow).
// Private keys: ethers Wallet (hex), @solana/web3.js Keypair.fromSecretKey (base58 64-byte keypair, checks the
// public half), @scure/btc-signer WIF + BIP341 P2TR; a BIP86 account xprv with @scure/bip32 (m/0/i below it).
// stdin: {"export": <the decrypted JSON>, "indices": [0, 1], "bitcoinNetwork": "mainnet"|"testnet"|"regtest"}
// stdout: {"mnemonicValid", "fromMnemonic": {"ethereum": [..], "bitcoin": [..], "solana": [..]},
//          "fromKeys": [{"chain", "index", "address"} | {"chain", "format": "xprv", "matchesMnemonic", "fingerprint", "addresses": [..]}]}
import { HDNodeWallet, Mnemonic, Wallet } from 'ethers';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import * as btc from '@scure/btc-signer';
import { schnorr } from '@noble/curves/secp256k1.js';
import { HDKey as Slip10 } from 'micro-key-producer/slip10.js';
import { Keypair } from '@solana/web3.js';
import { base58 } from '@scure/base';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const networks = {
  mainnet: [btc.NETWORK, 0],
  testnet: [btc.TEST_NETWORK, 1],
  regtest: [{ ...btc.TEST_NETWORK, bech32: 'bcrt' }, 1],
};
const [network, coin] = networks[input.bitcoinNetwork];
const exp = input.export;
const out = { mnemonicValid: false, fromMnemonic: { ethereum: [], bitcoin: [], solana: [] }, fromKeys: [] };

if (exp.mnemonic !== undefined) {
  out.mnemonicValid = validateMnemonic(exp.mnemonic, wordlist) && exp.mnemonic.split(' ').length === 24;
  const seed = mnemonicToSeedSync(exp.mnemonic, exp.bip39Passphrase ?? '');
  for (const i of input.indices) {
    out.fromMnemonic.ethereum.push(HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(exp.mnemonic), `m/44'/60'/0'/0/${i}`).address);
    const node = HDKey.fromMasterSeed(seed).derive(`m/86'/${coin}'/0'/0/${i}`);
    out.fromMnemonic.bitcoin.push(btc.p2tr(node.publicKey.slice(1), undefined, network).address);
    const ed = Slip10.fromMasterSeed(seed).derive(`m/44'/501'/${i}'/0'`);
    out.fromMnemonic.solana.push(Keypair.fromSeed(ed.privateKey).publicKey.toBase58());
  }
}

for (const key of exp.keys ?? []) {
  let address;
  if (key.chain === 'ethereum') {
    if (!/^0x[0-9a-f]{64}$/.test(key.privateKey)) throw new Error('not 0x + 64 lower-case hex digits');
    address = new Wallet(key.privateKey).address;
  } else if (key.chain === 'solana') {
    address = Keypair.fromSecretKey(base58.decode(key.privateKey)).publicKey.toBase58();
  } else if (key.chain === 'bitcoin' && key.format === 'xprv') {
    const versions = coin === 0 ? { private: 0x0488ade4, public: 0x0488b21e } : { private: 0x04358394, public: 0x043587cf };
    const account = HDKey.fromExtendedKey(key.privateKey, versions);
    const root = HDKey.fromMasterSeed(mnemonicToSeedSync(exp.mnemonic ?? input.mnemonic), versions);
    out.fromKeys.push({
      chain: key.chain, format: 'xprv', depth: account.depth,
      matchesMnemonic: root.derive(`m/86'/${coin}'/0'`).privateExtendedKey === key.privateKey,
      fingerprint: root.fingerprint.toString(16).padStart(8, '0'),
      addresses: input.indices.map(i => btc.p2tr(account.deriveChild(0).deriveChild(i).publicKey.slice(1), undefined, network).address),
    });
    continue;
  } else if (key.chain === 'bitcoin') {
    const priv = btc.WIF(network).decode(key.privateKey);
    address = btc.p2tr(schnorr.getPublicKey(priv), undefined, network).address;
  } else {
    throw new Error('unknown chain ' + key.chain);
  }
  out.fromKeys.push({ chain: key.chain, index: key.index, address });
}
process.stdout.write(JSON.stringify(out));
