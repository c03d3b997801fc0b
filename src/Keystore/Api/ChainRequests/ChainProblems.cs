using Keystore.Chains;
using Keystore.Problems;

namespace Keystore.Api.ChainRequests;

/// <summary>The one table from a chain's refusal to the problem type a client sees: always 400, one slug per <see cref="ChainError"/>.</summary>
public static class ChainProblems
{
    private const string Title = "The chain request cannot be signed";

    public static readonly ProblemType InvalidTransaction = new("invalid-transaction", 400, Title);
    public static readonly ProblemType InvalidMessage = new("invalid-message", 400, Title);
    public static readonly ProblemType InvalidTypedData = new("invalid-typed-data", 400, Title);
    public static readonly ProblemType InvalidPsbt = new("invalid-psbt", 400, Title);
    public static readonly ProblemType NoInputToSign = new("no-input-to-sign", 400, Title);
    public static readonly ProblemType NotASigner = new("not-a-signer", 400, Title);
    public static readonly ProblemType SighashNotAllowed = new("sighash-not-allowed", 400, Title);

    public static ProblemType For(ChainError error) => error switch
    {
        ChainError.InvalidRequest => ProblemTypes.InvalidRequest,
        ChainError.InvalidTransaction => InvalidTransaction,
        ChainError.InvalidMessage => InvalidMessage,
        ChainError.InvalidTypedData => InvalidTypedData,
        ChainError.InvalidPsbt => InvalidPsbt,
        ChainError.NoInputToSign => NoInputToSign,
        ChainError.NotASigner => NotASigner,
        ChainError.SighashNotAllowed => SighashNotAllowed,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "A chain error without a problem type."),
    };

    /// <summary>The problem a client gets for <paramref name="ex"/>.</summary>
    public static ProblemException ToProblem(ChainRequestException ex) => new(For(ex.Error), ex.Message);
}
