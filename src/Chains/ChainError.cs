namespace Keystore.Chains;

/// <summary>
/// Why a chain refused to sign: a closed set, so the API maps each one to exactly one problem type in one table
/// and a new refusal cannot reach a client unmapped.
/// </summary>
public enum ChainError
{
    /// <summary>The request's shape is wrong (members missing, extra, or of the wrong kind).</summary>
    InvalidRequest,

    /// <summary>A transaction that does not parse, is inconsistent, or names another sender.</summary>
    InvalidTransaction,

    /// <summary>A message (personal, Solana, off-chain) that does not parse.</summary>
    InvalidMessage,

    /// <summary>EIP-712 typed data that does not parse or hash.</summary>
    InvalidTypedData,

    /// <summary>A PSBT that does not parse or is inconsistent.</summary>
    InvalidPsbt,

    /// <summary>Nothing in the PSBT spends this key's outputs.</summary>
    NoInputToSign,

    /// <summary>This key is not one of the required signers.</summary>
    NotASigner,

    /// <summary>An input asks for a sighash type the keystore does not sign.</summary>
    SighashNotAllowed,
}
