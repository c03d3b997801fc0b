namespace Keystore.Policies.Decoding;

/// <summary>How value leaves the account.</summary>
public enum TransferKind
{
    /// <summary>The chain's own coin: ETH <c>value</c>, a SOL transfer, a Bitcoin output.</summary>
    Native,
    /// <summary>An ERC-20 or SPL token transfer.</summary>
    Token,
    /// <summary>An allowance (ERC-20 <c>approve</c> or an EIP-2612 permit, SPL <c>approve</c>): counted as spend.</summary>
    Approval,
    /// <summary>A network fee, with no destination: a Bitcoin fee, the most Ethereum gas can cost, Solana's signature and prioritization fees.</summary>
    Fee,
}
