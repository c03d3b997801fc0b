// Oracle for Keystore.Policies: sign bodies built the way wallets build them, with what each one does.
// ethers (transactions, ERC-20 calldata, EIP-712 permits), @solana/web3.js + @solana/spl-token (SOL and SPL
// transfers, legacy and v0 messages, lookup tables), @solana/offchain-messages (off-chain messages, v0 and v1),
// @scure/btc-signer (PSBTs on mainnet, testnet and regtest). Independent of the C# decoders.
// stdin: {} → {"ethereum": [case], "solana": [case], "offchain": [case], "bitcoin": [case]}, each case
// {name, body, expect: {...}} (amounts as decimal strings, addresses normalized as the policy compares them).
import { Transaction as EthTransaction, Interface, Wallet, MaxUint256, parseEther, TypedDataEncoder } from 'ethers';
import {
  Keypair, PublicKey, SystemProgram, ComputeBudgetProgram, Transaction, TransactionMessage, VersionedTransaction,
  AddressLookupTableAccount, TransactionInstruction, Message,
} from '@solana/web3.js';
import {
  TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID, createTransferCheckedInstruction, createTransferInstruction,
  createApproveCheckedInstruction, createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { getOffchainMessageEncoder } from '@solana/offchain-messages';
import * as btc from '@scure/btc-signer';
import { hex } from '@scure/base';
import { secp256k1 } from '@noble/curves/secp256k1.js';

await new Promise(r => { process.stdin.resume(); process.stdin.on('end', r); });
const b64 = b => Buffer.from(b).toString('base64');
const seeded = n => Keypair.fromSeed(Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + n) & 0xff));

// ---------- Ethereum ----------
const ethereum = [];
const wallet = new Wallet('0x' + '11'.repeat(32));
const recipient = '0x' + 'ab'.repeat(20);
const token = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48';
const erc20 = new Interface([
  'function transfer(address to, uint256 amount)', 'function transferFrom(address from, address to, uint256 amount)',
  'function approve(address spender, uint256 amount)',
  'function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline)',
]);
// Each JSON transaction body's ethers Transaction, to send the same transaction serialized too (see below).
const ethersTransactionOf = new WeakMap();
const txBody = fields => {
  const tx = EthTransaction.from({ type: 2, chainId: 1, nonce: 7, gasLimit: 100000, maxFeePerGas: 30_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, ...fields });
  const body = {
    transaction: {
      type: tx.type, chainId: tx.chainId.toString(), nonce: '0x' + tx.nonce.toString(16), to: tx.to, value: '0x' + tx.value.toString(16),
      data: tx.data, gas: '0x' + tx.gasLimit.toString(16), maxFeePerGas: '0x' + tx.maxFeePerGas.toString(16),
      maxPriorityFeePerGas: '0x' + tx.maxPriorityFeePerGas.toString(16),
    },
  };
  ethersTransactionOf.set(body, tx);
  return body;
};
const halfEth = parseEther('0.5');
ethereum.push({ name: 'ether transfer', body: txBody({ to: recipient, value: halfEth }),
  expect: { transfers: [{ asset: 'eth:1', destination: recipient, amount: halfEth.toString(), kind: 'Native' }], calls: [] } });
ethereum.push({ name: 'ether transfer on another chain', body: txBody({ chainId: 8453, to: recipient, value: 1n }),
  expect: { transfers: [{ asset: 'eth:8453', destination: recipient, amount: '1', kind: 'Native' }], calls: [] } });
const asset = `eth:1:erc20:${token.toLowerCase()}`;
ethereum.push({ name: 'ERC-20 transfer', body: txBody({ to: token, data: erc20.encodeFunctionData('transfer', [recipient, 250_000_000n]) }),
  expect: { transfers: [{ asset, destination: recipient, amount: '250000000', kind: 'Token' }], calls: [{ address: token.toLowerCase(), selector: erc20.getFunction('transfer').selector, decoded: true }] } });
ethereum.push({ name: 'ERC-20 transferFrom', body: txBody({ to: token, data: erc20.encodeFunctionData('transferFrom', [wallet.address, recipient, 42n]) }),
  expect: { transfers: [{ asset, destination: recipient, amount: '42', kind: 'Token' }], calls: [{ address: token.toLowerCase(), selector: erc20.getFunction('transferFrom').selector, decoded: true }] } });
ethereum.push({ name: 'ERC-20 approve', body: txBody({ to: token, data: erc20.encodeFunctionData('approve', [recipient, 1000n]) }),
  expect: { transfers: [{ asset, destination: recipient, amount: '1000', kind: 'Approval', unlimited: false }], calls: [{ address: token.toLowerCase(), selector: erc20.getFunction('approve').selector, decoded: true }] } });
ethereum.push({ name: 'ERC-20 unlimited approve', body: txBody({ to: token, data: erc20.encodeFunctionData('approve', [recipient, MaxUint256]) }),
  expect: { transfers: [{ asset, destination: recipient, amount: MaxUint256.toString(), kind: 'Approval', unlimited: true }], calls: [{ address: token.toLowerCase(), selector: erc20.getFunction('approve').selector, decoded: true }] } });
const router = '0x7a250d5630b4cf539739df2c5dacb4c659f2488d';
ethereum.push({ name: 'unknown contract call', body: txBody({ to: router, data: erc20.encodeFunctionData('swapExactTokensForTokens', [1n, 0n, [token, recipient], wallet.address, 9n]) }),
  expect: { transfers: [], calls: [{ address: router, selector: erc20.getFunction('swapExactTokensForTokens').selector, decoded: false }] } });
ethereum.push({ name: 'contract creation', body: txBody({ to: null, data: '0x6000600055' }), expect: { transfers: [], calls: [], opaque: true } });
// The same transactions as ethers' unsignedSerialized (0x02 ‖ RLP), and in the legacy (EIP-155 RLP) and EIP-2930 (0x01 ‖ RLP)
// forms: the policy must see exactly what the JSON form shows.
// Each transaction also spends, as a fee with no destination, the most its gas can cost: gasLimit × maxFeePerGas (EIP-1559) or
// × gasPrice (legacy, EIP-2930), in ether of its chain; the expectations above list what it moves besides.
const withFee = (expect, tx) => ({ ...expect, transfers: [...expect.transfers,
  { asset: `eth:${tx.chainId}`, destination: null, amount: (tx.gasLimit * (tx.maxFeePerGas ?? tx.gasPrice)).toString(), kind: 'Fee' }] });
for (const c of [...ethereum]) {
  const tx = ethersTransactionOf.get(c.body);
  ethereum.push({ name: `${c.name} (serialized)`, body: { transaction: tx.unsignedSerialized }, expect: withFee(c.expect, tx) });
  const legacyTx = EthTransaction.from({ type: 0, chainId: tx.chainId, nonce: tx.nonce, gasLimit: tx.gasLimit, gasPrice: 20_000_000_000n, to: tx.to, value: tx.value, data: tx.data });
  ethereum.push({ name: `${c.name} (serialized legacy)`, body: { transaction: legacyTx.unsignedSerialized }, expect: withFee(c.expect, legacyTx) });
  const accessListTx = EthTransaction.from({ type: 1, chainId: tx.chainId, nonce: tx.nonce, gasLimit: tx.gasLimit, gasPrice: 20_000_000_000n, to: tx.to, value: tx.value, data: tx.data,
    accessList: [{ address: token, storageKeys: ['0x' + '00'.repeat(31) + '01'] }] });
  ethereum.push({ name: `${c.name} (serialized EIP-2930)`, body: { transaction: accessListTx.unsignedSerialized }, expect: withFee(c.expect, accessListTx) });
  c.expect = withFee(c.expect, tx);
}
ethereum.push({ name: 'serialized transaction that is already signed', body: { transaction: EthTransaction.from({ type: 2, chainId: 1, nonce: 7, gasLimit: 100000,
  maxFeePerGas: 30_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, to: recipient, value: halfEth, signature: wallet.signingKey.sign(EthTransaction.from({ type: 2, chainId: 1,
  nonce: 7, gasLimit: 100000, maxFeePerGas: 30_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n, to: recipient, value: halfEth }).unsignedHash) }).serialized },
  expect: { transfers: [], calls: [], opaque: true } });

const permitDomain = { name: 'USD Coin', version: '2', chainId: 1, verifyingContract: token };
const permitTypes = { Permit: [
  { name: 'owner', type: 'address' }, { name: 'spender', type: 'address' }, { name: 'value', type: 'uint256' },
  { name: 'nonce', type: 'uint256' }, { name: 'deadline', type: 'uint256' }] };
const typedBody = (domain, types, primaryType, message) => {
  // The request carries the JSON ethers would hash: check it does hash.
  TypedDataEncoder.hash(domain, types, message);
  const domainTypes = TypedDataEncoder.getPayload(domain, types, message).types.EIP712Domain;
  return { typedData: { types: { EIP712Domain: domainTypes, ...types }, primaryType, domain, message } };
};
ethereum.push({ name: 'EIP-2612 permit', body: typedBody(permitDomain, permitTypes, 'Permit', { owner: wallet.address, spender: recipient, value: '5000', nonce: '0', deadline: '1999999999' }),
  expect: { transfers: [{ asset, destination: recipient, amount: '5000', kind: 'Approval', unlimited: false }], calls: [], domain: { name: 'USD Coin', version: '2', chainId: 1, verifyingContract: token.toLowerCase() } } });
ethereum.push({ name: 'EIP-2612 unlimited permit', body: typedBody(permitDomain, permitTypes, 'Permit', { owner: wallet.address, spender: recipient, value: MaxUint256.toString(), nonce: '0', deadline: '1999999999' }),
  expect: { transfers: [{ asset, destination: recipient, amount: MaxUint256.toString(), kind: 'Approval', unlimited: true }], calls: [], domain: { name: 'USD Coin', version: '2', chainId: 1, verifyingContract: token.toLowerCase() } } });
const mailDomain = { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' };
ethereum.push({ name: 'typed data mail', body: typedBody(mailDomain, { Mail: [{ name: 'contents', type: 'string' }] }, 'Mail', { contents: 'Hello, Bob!' }),
  expect: { transfers: [], calls: [], domain: { name: 'Ether Mail', version: '1', chainId: 1, verifyingContract: mailDomain.verifyingContract.toLowerCase() } } });
ethereum.push({ name: 'personal message', body: { message: 'hello' }, expect: { transfers: [], calls: [], operation: 'PersonalMessage' } });

// ---------- Solana ----------
const solana = [];
const payer = seeded(1).publicKey, dest = seeded(2).publicKey, mint = seeded(3).publicKey, blockhash = seeded(4).publicKey.toBase58();
const legacy = ixs => b64(new Transaction({ feePayer: payer, recentBlockhash: blockhash }).add(...ixs).serializeMessage());
const v0 = (ixs, tables = []) => b64(new TransactionMessage({ payerKey: payer, recentBlockhash: blockhash, instructions: ixs }).compileToV0Message(tables).serialize());
const wire = ixs => b64(new VersionedTransaction(new TransactionMessage({ payerKey: payer, recentBlockhash: blockhash, instructions: ixs }).compileToV0Message()).serialize());
const sys = 'System', spl = 'Token';
const call = (program, decoded) => ({ address: program.toBase58(), selector: null, decoded });
// Every message pays 5,000 lamports per signature (each of these has one: the payer's) plus ceil(compute-unit price in
// micro-lamports × compute-unit limit / 10⁶); without setComputeUnitLimit the limit is 200,000 per other instruction.
const solFee = (microLamports = 0n, units = 0n) => ({ asset: 'sol', destination: null, amount: (5000n + (microLamports * units + 999_999n) / 1_000_000n).toString(), kind: 'Fee' });
const solTransfer = SystemProgram.transfer({ fromPubkey: payer, toPubkey: dest, lamports: 1_500_000_000 });
const fee = ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 1000 });
const solExpect = { transfers: [{ asset: 'sol', destination: dest.toBase58(), amount: '1500000000', kind: 'Native' }, solFee(1000n, 200_000n)],
  calls: [call(ComputeBudgetProgram.programId, true), call(SystemProgram.programId, true)] };
solana.push({ name: 'SOL transfer, legacy message', body: { message: legacy([fee, solTransfer]) }, expect: solExpect });
solana.push({ name: 'SOL transfer, v0 message', body: { message: v0([fee, solTransfer]) }, expect: solExpect });
solana.push({ name: 'SOL transfer, wire transaction', body: { transaction: wire([fee, solTransfer]) }, expect: solExpect });
for (const [label, program] of [['SPL Token', TOKEN_PROGRAM_ID], ['Token-2022', TOKEN_2022_PROGRAM_ID]]) {
  const source = getAssociatedTokenAddressSync(mint, payer, false, program);
  const target = getAssociatedTokenAddressSync(mint, dest, false, program);
  const create = createAssociatedTokenAccountIdempotentInstruction(payer, target, dest, mint, program);
  solana.push({ name: `${label} transferChecked`, body: { message: v0([create, createTransferCheckedInstruction(source, mint, target, payer, 2_000_000n, 6, [], program)]) },
    expect: { transfers: [{ asset: `sol:spl:${mint.toBase58()}`, destination: target.toBase58(), amount: '2000000', kind: 'Token' }, solFee()],
      calls: [call(create.programId, true), call(program, true)] } });
  solana.push({ name: `${label} plain transfer`, body: { message: legacy([createTransferInstruction(source, target, payer, 5n, [], program)]) },
    expect: { transfers: [{ asset: 'sol:spl:unknown', destination: target.toBase58(), amount: '5', kind: 'Token' }, solFee()], calls: [call(program, true)], opaque: true } });
  solana.push({ name: `${label} unlimited approveChecked`, body: { message: legacy([createApproveCheckedInstruction(source, mint, dest, payer, 18446744073709551615n, 6, [], program)]) },
    expect: { transfers: [{ asset: `sol:spl:${mint.toBase58()}`, destination: dest.toBase58(), amount: '18446744073709551615', kind: 'Approval', unlimited: true }, solFee()], calls: [call(program, true)] } });
}
const unknownProgram = seeded(9).publicKey;
solana.push({ name: 'unknown program', body: { message: legacy([new TransactionInstruction({ programId: unknownProgram, keys: [{ pubkey: payer, isSigner: true, isWritable: true }], data: Buffer.from([1, 2, 3]) })]) },
  expect: { transfers: [solFee()], calls: [call(unknownProgram, false)] } });
const looked = seeded(5).publicKey;
const table = new AddressLookupTableAccount({ key: seeded(6).publicKey,
  state: { deactivationSlot: BigInt('18446744073709551615'), lastExtendedSlot: 0, lastExtendedSlotStartIndex: 0, addresses: [looked] } });
solana.push({ name: 'SOL transfer to a lookup-table address', body: { message: v0([SystemProgram.transfer({ fromPubkey: payer, toPubkey: looked, lamports: 10 })], [table]) },
  expect: { transfers: [{ asset: 'sol', destination: null, amount: '10', kind: 'Native' }, solFee()], calls: [call(SystemProgram.programId, true)], opaque: true } });

// ---------- Solana off-chain messages ----------
const offchain = [];
const encoder = getOffchainMessageEncoder();
const signerA = seeded(1).publicKey.toBase58(), signerB = seeded(7).publicKey.toBase58();
const appDomain = seeded(8).publicKey.toBase58();
const v0Message = (format, text, signers = [signerA]) => ({ version: 0, applicationDomain: appDomain, content: { format, text }, requiredSignatories: signers.map(address => ({ address })) });
const v1Message = (text, signers = [signerA]) => ({ version: 1, content: text, requiredSignatories: signers.map(address => ({ address })) });
const good = (name, message, text, version, format, signers) =>
  offchain.push({ name, bytes: b64(encoder.encode(message)), expect: { valid: true, version, format, text, signers, applicationDomain: version === 0 ? appDomain : null } });
good('v0 restricted ASCII', v0Message(0, 'Sign in to example.com'), 'Sign in to example.com', 0, 0, [signerA]);
good('v0 UTF-8', v0Message(1, 'Überweisung bestätigen ✓'), 'Überweisung bestätigen ✓', 0, 1, [signerA]);
good('v0 long UTF-8', v0Message(2, 'x'.repeat(5000)), 'x'.repeat(5000), 0, 2, [signerA]);
const sortedSigners = [signerA, signerB].sort((x, y) => Buffer.compare(new PublicKey(x).toBuffer(), new PublicKey(y).toBuffer()));
good('v1 two signers', v1Message('hello from v1', [signerB, signerA]), 'hello from v1', 1, null, sortedSigners);
// A text that is itself a transaction message (all bytes ASCII, so it is valid UTF-8): must be refused.
const asciiMessage = new Message({
  header: { numRequiredSignatures: 1, numReadonlySignedAccounts: 0, numReadonlyUnsignedAccounts: 0 },
  accountKeys: [new PublicKey(Buffer.alloc(32, 0x41))], recentBlockhash: new PublicKey(Buffer.alloc(32, 0x42)).toBase58(), instructions: [],
}).serialize();
const asciiText = Buffer.from(asciiMessage).toString('utf8');
if (Buffer.compare(Buffer.from(asciiText, 'utf8'), asciiMessage) !== 0) throw new Error('the crafted message is not ASCII');
offchain.push({ name: 'v1 text that is a transaction message', bytes: b64(encoder.encode(v1Message(asciiText))), expect: { valid: false, error: 'transaction' } });
offchain.push({ name: 'v0 UTF-8 text that is a transaction message', bytes: b64(encoder.encode(v0Message(1, asciiText))), expect: { valid: false, error: 'transaction' } });
offchain.push({ name: 'a bare transaction message', bytes: b64(asciiMessage), expect: { valid: false, error: 'signing domain' } });

// ---------- Bitcoin ----------
const bitcoin = [];
const regtest = { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef };
for (const [networkName, network] of [['Mainnet', btc.NETWORK], ['Testnet', btc.TEST_NETWORK], ['Regtest', regtest]]) {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
  const own = btc.p2tr(btc.utils.pubSchnorr(key), undefined, network);
  const own2 = btc.p2tr(btc.utils.pubSchnorr(Uint8Array.from({ length: 32 }, (_, i) => i + 2)), undefined, network);
  const other = Uint8Array.from({ length: 32 }, (_, i) => 100 + i);
  const pub = secp256k1.getPublicKey(other, true);
  const outputs = [
    btc.p2wpkh(pub, network).address,
    btc.p2tr(btc.utils.pubSchnorr(other), undefined, network).address,
    btc.p2pkh(pub, network).address,
    btc.p2sh(btc.p2wpkh(pub, network), network).address,
    btc.p2wsh(btc.p2pk(pub), network).address,
  ];
  const tx = new btc.Transaction({ allowUnknownOutputs: true });
  tx.addInput({ txid: hex.encode(Uint8Array.from({ length: 32 }, (_, i) => i)), index: 0, witnessUtxo: { script: own.script, amount: 200_000n }, tapInternalKey: btc.utils.pubSchnorr(key) });
  tx.addInput({ txid: hex.encode(Uint8Array.from({ length: 32 }, (_, i) => 255 - i)), index: 3, witnessUtxo: { script: own2.script, amount: 50_000n } });
  const amounts = [10_000n, 20_000n, 30_000n, 40_000n, 50_000n];
  outputs.forEach((address, i) => tx.addOutputAddress(address, amounts[i], network));
  tx.addOutputAddress(own.address, 95_000n, network); // change to the account's own address
  tx.addOutput({ script: btc.Script.encode(['RETURN', Uint8Array.from([1, 2, 3])]), amount: 0n });
  const fee = 250_000n - amounts.reduce((a, b) => a + b, 0n) - 95_000n;
  bitcoin.push({ name: `PSBT on ${networkName}`, network: networkName, own: [own.address, own2.address], body: { psbt: b64(tx.toPSBT(0)) },
    expect: { transfers: [...outputs.map((address, i) => ({ asset: 'btc', destination: address.startsWith('bc') || address.startsWith('tb') ? address.toLowerCase() : address, amount: amounts[i].toString(), kind: 'Native' })),
      { asset: 'btc', destination: null, amount: fee.toString(), kind: 'Fee' }], calls: [] } });

  const single = new btc.Transaction();
  single.addInput({ txid: hex.encode(Uint8Array.from({ length: 32 }, (_, i) => i)), index: 1, witnessUtxo: { script: own.script, amount: 100_000n } });
  single.addOutputAddress(outputs[0], 99_000n, network);
  bitcoin.push({ name: `one payment on ${networkName}`, network: networkName, own: [own.address], body: { psbt: b64(single.toPSBT(0)) },
    expect: { transfers: [{ asset: 'btc', destination: outputs[0], amount: '99000', kind: 'Native' }, { asset: 'btc', destination: null, amount: '1000', kind: 'Fee' }], calls: [] } });
}
{
  // An input given by its whole previous transaction (non_witness_utxo): its amount is that transaction's output.
  const own = btc.p2tr(btc.utils.pubSchnorr(Uint8Array.from({ length: 32 }, (_, i) => i + 1)));
  const prev = new btc.Transaction();
  prev.addInput({ txid: hex.encode(Uint8Array.from({ length: 32 }, (_, i) => i)), index: 0 });
  prev.addOutputAddress(own.address, 70_000n);
  prev.addOutputAddress(own.address, 30_000n);
  const tx = new btc.Transaction();
  tx.addInput({ txid: prev.id, index: 1, nonWitnessUtxo: prev.unsignedTx });
  const payee = btc.p2wpkh(secp256k1.getPublicKey(Uint8Array.from({ length: 32 }, (_, i) => 100 + i), true)).address;
  tx.addOutputAddress(payee, 29_000n);
  bitcoin.push({ name: 'PSBT with a non_witness_utxo input', network: 'Mainnet', own: [own.address], body: { psbt: b64(tx.toPSBT(0)) },
    expect: { transfers: [{ asset: 'btc', destination: payee, amount: '29000', kind: 'Native' }, { asset: 'btc', destination: null, amount: '1000', kind: 'Fee' }], calls: [] } });
}
{
  // An input whose amount the PSBT does not give: the fee cannot be known.
  const tx = new btc.Transaction();
  tx.addInput({ txid: hex.encode(Uint8Array.from({ length: 32 }, (_, i) => i)), index: 0 });
  tx.addOutputAddress(btc.p2wpkh(secp256k1.getPublicKey(Uint8Array.from({ length: 32 }, (_, i) => 100 + i), true)).address, 1000n);
  bitcoin.push({ name: 'PSBT without input amounts', network: 'Mainnet', own: [], body: { psbt: b64(tx.toPSBT(0)) }, expect: { opaque: true } });
}

console.log(JSON.stringify({ ethereum, solana, offchain, bitcoin }, (_, v) => typeof v === 'bigint' ? v.toString() : v));
