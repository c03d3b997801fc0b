namespace Keystore.Client;

/// <summary>The raw signed transaction (<c>0x…</c>, ready for <c>eth_sendRawTransaction</c>), its hash and the signing address.</summary>
public sealed record SignedEthereumTransaction(string SignedTransaction, string Hash, string From);
