namespace Keystore.Chains.Ethereum;

/// <summary>A signed, network-ready transaction: its encoding, its hash (keccak256 of the encoding) and the sender's EIP-55 address.</summary>
public sealed record EthereumSignedTransaction(byte[] Encoded, byte[] Hash, string From);
