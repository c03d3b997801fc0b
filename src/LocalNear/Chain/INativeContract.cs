namespace Keystore.LocalNear.Chain;

/// <summary>
/// A contract implemented in C# instead of wasm, used where the real contract is not available
/// here (NEAR's MPC signer). It sees what a wasm contract would see of its call.
/// </summary>
public interface INativeContract
{
    /// <summary>Executes <paramref name="methodName"/>; returns the return value (JSON bytes) or throws <see cref="NativeContractPanicException"/>.</summary>
    byte[] Call(NativeCallContext context, string methodName, ReadOnlySpan<byte> args);
}

public sealed record NativeCallContext(
    string CurrentAccountId,
    string PredecessorAccountId,
    string SignerAccountId,
    UInt128 AttachedDeposit,
    ulong PrepaidGas,
    ulong BlockHeight,
    ulong BlockTimestampNanos,
    bool IsView);

/// <summary>The native equivalent of <c>env::panic_str</c>: the receipt fails with this message.</summary>
public sealed class NativeContractPanicException(string message) : Exception(message);
