using Keystore.Near.Borsh;

namespace Keystore.Near.Transactions;

/// <summary>Calls <paramref name="MethodName"/> with raw <paramref name="Args"/> (usually UTF-8 JSON); gas in gas units, deposit in yoctoNEAR.</summary>
public sealed record FunctionCallAction(string MethodName, byte[] Args, ulong Gas, UInt128 Deposit) : NearAction
{
    public override byte Tag => 2;

    public static FunctionCallAction Json(string methodName, string jsonArgs, ulong gas, UInt128 deposit) =>
        new(methodName, System.Text.Encoding.UTF8.GetBytes(jsonArgs), gas, deposit);

    internal override void WriteBody(BorshWriter writer) =>
        writer.String(MethodName).Bytes(Args).U64(Gas).U128(Deposit);

    internal static FunctionCallAction ReadBody(ref BorshReader reader) =>
        new(reader.String(), reader.Bytes(), reader.U64(), reader.U128());

    public bool Equals(FunctionCallAction? other) =>
        other is not null && MethodName == other.MethodName && Args.AsSpan().SequenceEqual(other.Args) && Gas == other.Gas && Deposit == other.Deposit;

    public override int GetHashCode() => HashCode.Combine(MethodName, Gas, Deposit);
}
