using System.Text.Json.Nodes;

namespace Keystore.LocalNear.Runtime;

/// <summary>
/// Ends a contract call from a host function with NEAR's <c>FunctionCallError</c> (already serialised),
/// e.g. a guest panic, exhausted gas or a prohibited call in a view.
/// </summary>
internal sealed class VmAbortException(JsonObject functionCallError, string message) : Exception(message)
{
    public JsonObject FunctionCallError { get; } = functionCallError;

    /// <summary>nearcore renders host errors and wasm traps as <c>{"ExecutionError": Display(error)}</c>.</summary>
    public static VmAbortException Execution(string message) => new(new JsonObject { ["ExecutionError"] = message }, message);

    public static VmAbortException Panic(string message) => Execution("Smart contract panicked: " + message);

    public static VmAbortException GasExceeded() => Execution("Exceeded the prepaid gas.");

    public static VmAbortException GasLimitExceeded() => Execution("Exceeded the maximum amount of gas allowed to burn per contract.");

    public static VmAbortException ProhibitedInView(string methodName) => Execution($"{methodName} is not allowed in view calls");

    public static VmAbortException MemoryAccessViolation() => Execution("Accessed memory outside the bounds.");

    public static VmAbortException BadUtf8() => Execution("String encoding is bad UTF-8 sequence.");

    public static VmAbortException BadUtf16() => Execution("String encoding is bad UTF-16 sequence.");

    public static VmAbortException InvalidRegister(ulong id) => Execution($"{id} does not correspond to existing register");

    public static VmAbortException InvalidPromiseIndex(ulong index) => Execution($"{index} does not correspond to existing promises");

    public static VmAbortException InvalidPromiseResultIndex(ulong index) => Execution($"Accessed invalid promise result index: {index}");

    public static VmAbortException InvalidAccountId() => Execution("VM Logic returned an invalid account id");

    public static VmAbortException InvalidPublicKey() => Execution("VM Logic provided an invalid public key");

    public static VmAbortException BalanceExceeded() => Execution("Exceeded the account balance.");

    public static VmAbortException CannotReturnJointPromise() => Execution("Returning joint promise is currently prohibited.");

    public static VmAbortException CannotAppendActionToJointPromise() => Execution("Actions can only be appended to non-joint promise.");

    public static VmAbortException InvalidMethodName() => Execution("VM Logic returned an invalid method name");
}
