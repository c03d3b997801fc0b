// Independent derivation of the keystore's addresses from a BIP39 mnemonic, with widely used
// libraries: ethers (BIP32/BIP44, EIP-55), @scure/bip32 + @scure/btc-signer (BIP86 P2TR),
// micro-key-producer (SLIP-0010 ed25519) and @solana/web3.js (base58 address).
// stdin: {"mnemonic": "..." or "entropyHex": "<BIP39 entropy>", "indices": [0, 1], "bitcoinNetwork": "mainnet"|"testnet"|"regtest"}
// stdout: {"mnemonic": "...", "ethereum": [..], "bitcoin": [..], "solana": [..]}
import { HDNodeWallet, Mnemonic } from 'ethers';
import { HDKey } from '@scure/bip32';
import { entropyToMnemonic, mnemonicToSeedSync } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import * as btc from '@scure/btc-signer';
import { HDKey as Slip10 } from 'micro-key-producer/slip10.js';
import { Keypair } from '@solana/web3.js';

const input = JSON.parse(await new Promise(r => { let s = ''; process.stdin.on('data', d => s += d); process.stdin.on('end', () => r(s)); }));
// entropyHex: the mnemonic comes from @scure/bip39, not from the keystore under test.
if (input.entropyHex) input.mnemonic = entropyToMnemonic(Buffer.from(input.entropyHex, 'hex'), wordlist);
const seed = mnemonicToSeedSync(input.mnemonic);
const networks = {
  mainnet: [btc.NETWORK, 0],
  testnet: [btc.TEST_NETWORK, 1],
  regtest: [{ ...btc.TEST_NETWORK, bech32: 'bcrt' }, 1],
};
const [network, coin] = networks[input.bitcoinNetwork];
const out = { mnemonic: input.mnemonic, ethereum: [], bitcoin: [], solana: [] };
for (const i of input.indices) {
  out.ethereum.push(HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(input.mnemonic), `m/44'/60'/0'/0/${i}`).address);
  const node = HDKey.fromMasterSeed(seed).derive(`m/86'/${coin}'/0'/0/${i}`);
  out.bitcoin.push(btc.p2tr(node.publicKey.slice(1), undefined, network).address);
  const ed = Slip10.fromMasterSeed(seed).derive(`m/44'/501'/${i}'/0'`);
  out.solana.push(Keypair.fromSeed(ed.privateKey).publicKey.toBase58());
}
process.stdout.write(JSON.stringify(out));
