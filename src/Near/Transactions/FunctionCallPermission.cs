using Keystore.Near.Borsh;

namespace Keystore.Near.Transactions;

/// <summary>A function-call access key: optional allowance (yoctoNEAR), the one receiver, allowed methods (empty = any).</summary>
public sealed record FunctionCallPermission(UInt128? Allowance, string ReceiverId, IReadOnlyList<string> MethodNames) : AccessKeyPermission
{
    public override void Write(BorshWriter writer) =>
        writer.U8(0).OptionU128(Allowance).String(ReceiverId).Vec(MethodNames, (w, m) => w.String(m));

    public bool Equals(FunctionCallPermission? other) =>
        other is not null && Allowance == other.Allowance && ReceiverId == other.ReceiverId && MethodNames.SequenceEqual(other.MethodNames);

    public override int GetHashCode() => HashCode.Combine(Allowance, ReceiverId, MethodNames.Count);
}
