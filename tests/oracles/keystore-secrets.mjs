// Every secret below an account's entropy, derived with widely used libraries (not the keystore's code), so a
// test can look for them where they must never be: @scure/bip39 (mnemonic, seed), ethers (BIP32/BIP44 keys),
// @scure/bip32 + @scure/btc-signer (BIP86 keys and their BIP341 tweak), micro-key-producer (SLIP-0010 ed25519).
// stdin: {"entropy": "<hex>", "indices": [0, 1], "bitcoinNetwork": "mainnet"|"testnet"|"regtest"}
// stdout: {"mnemonic", "seed", "ethereum": [priv hex], "bitcoin": [{privateKey, tweaked}], "solana": [{seed, secretKey (64-byte hex)}]}
import { HDNodeWallet, Mnemonic } from 'ethers';
import { HDKey } from '@scure/bip32';
import { entropyToMnemonic, mnemonicToSeedSync } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { taprootTweakPrivKey } from '@scure/btc-signer/utils.js';
import { HDKey as Slip10 } from 'micro-key-producer/slip10.js';
import { Keypair } from '@solana/web3.js';
import { hex } from '@scure/base';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
const mnemonic = entropyToMnemonic(hex.decode(input.entropy), wordlist);
const seed = mnemonicToSeedSync(mnemonic);
const coin = input.bitcoinNetwork === 'mainnet' ? 0 : 1;
const out = { mnemonic, seed: hex.encode(seed), ethereum: [], bitcoin: [], solana: [] };
for (const i of input.indices) {
  out.ethereum.push(HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(mnemonic), `m/44'/60'/0'/0/${i}`).privateKey.slice(2));
  const btcKey = HDKey.fromMasterSeed(seed).derive(`m/86'/${coin}'/0'/0/${i}`).privateKey;
  out.bitcoin.push({ privateKey: hex.encode(btcKey), tweaked: hex.encode(taprootTweakPrivKey(btcKey)) });
  const ed = Slip10.fromMasterSeed(seed).derive(`m/44'/501'/${i}'/0'`).privateKey;
  out.solana.push({ seed: hex.encode(ed), secretKey: hex.encode(Keypair.fromSeed(ed).secretKey) });
}
process.stdout.write(JSON.stringify(out));
