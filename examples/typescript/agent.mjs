// An agent signing with the NEAR TEE keystore: an EIP-1559 transfer, a Solana transfer and a Bitcoin PSBT.
// Against ./run.sh: `node agent.mjs` (defaults below); elsewhere set KEYSTORE_URL, KEYSTORE_CREDENTIALS (a NEAR CLI
// credentials file of a full-access key of the account) and KEYSTORE_BITCOIN_NETWORK.
import { Transaction as EthTransaction } from 'ethers';
import { PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import * as btc from '@scure/btc-signer';
import { base58, hex } from '@scure/base';
import { KeystoreClient, loadCredentials } from '@near-tee-keystore/client';

const url = process.env.KEYSTORE_URL ?? 'http://127.0.0.1:8080';
const credentials = process.env.KEYSTORE_CREDENTIALS ?? new URL('../../.local-run/near-credentials/localnet/alice.test.near.json', import.meta.url).pathname;
const network = process.env.KEYSTORE_BITCOIN_NETWORK ?? 'regtest';

const { accountId, keyPair } = await loadCredentials(credentials);
const keystore = new KeystoreClient({ url, accountId, keyPair });
console.log(`agent for ${accountId} on ${url}`);

// 1. Ethereum: an EIP-1559 transfer of 0.01 ETH on Sepolia, as ethers would populate it.
const eth = await keystore.keys('ethereum');
const signedEth = await keystore.signEthereumTransaction({
  type: 2, chainId: 11155111n, nonce: 0, to: '0x000000000000000000000000000000000000dEaD', value: 10n ** 16n,
  gasLimit: 21000n, maxFeePerGas: 30n * 10n ** 9n, maxPriorityFeePerGas: 10n ** 9n,
});
console.log(`ethereum  ${eth.address}  signed ${signedEth.hash}  (ethers reads from=${EthTransaction.from(signedEth.signedTransaction).from})`);

// 2. Solana: a transfer of 5000 lamports, a web3.js Transaction with this account's key as fee payer.
const sol = await keystore.keys('solana');
const payer = new PublicKey(sol.address);
const tx = new Transaction({ feePayer: payer, recentBlockhash: base58.encode(new Uint8Array(32).fill(9)) })
  .add(SystemProgram.transfer({ fromPubkey: payer, toPubkey: new PublicKey(new Uint8Array(32).fill(3)), lamports: 5000 }));
const signedSol = await keystore.signSolanaTransaction(tx);
console.log(`solana    ${sol.address}  signed ${signedSol.signature}  (web3.js verifies: ${signedSol.transaction.verifySignatures()})`);

// 3. Bitcoin: a PSBT spending a (made-up) output of this account's Taproot address, finalized into a raw transaction.
const nets = { mainnet: btc.NETWORK, testnet: btc.TEST_NETWORK, regtest: { ...btc.TEST_NETWORK, bech32: 'bcrt' } };
const bitcoin = await keystore.keys('bitcoin');
const ours = btc.p2tr(base58.decode(bitcoin.publicKey.slice('secp256k1:'.length)).slice(0, 32), undefined, nets[network]);
const psbt = new btc.Transaction();
psbt.addInput({ txid: hex.encode(new Uint8Array(32).fill(1)), index: 0, witnessUtxo: { script: ours.script, amount: 50_000n } });
psbt.addOutputAddress(bitcoin.address, 40_000n, nets[network]);
const signedPsbt = await keystore.signPsbt(psbt.toPSBT(0), { finalize: true });
console.log(`bitcoin   ${bitcoin.address}  signed inputs ${signedPsbt.signedInputs}  raw tx ${signedPsbt.rawTransaction.slice(0, 32)}…`);
