namespace Keystore.Policies.Documents;

/// <summary>What a sign request asks for. A Solana transaction message and a Solana off-chain message are different
/// operations, so an agent allowed to sign messages cannot get a transaction signed.</summary>
public enum PolicyOperation
{
    /// <summary>An Ethereum transaction, or a Solana transaction (message or wire transaction).</summary>
    Transaction,
    /// <summary>An EIP-191 personal message.</summary>
    PersonalMessage,
    /// <summary>EIP-712 typed data.</summary>
    TypedData,
    /// <summary>A Bitcoin PSBT.</summary>
    Psbt,
    /// <summary>A Solana off-chain message (the <c>\xffsolana offchain</c> signing domain).</summary>
    OffchainMessage,
}
