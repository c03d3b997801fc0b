using Keystore.Near.Borsh;

namespace Keystore.Near.Transactions;

public sealed record DeployContractAction(byte[] Code) : NearAction
{
    public override byte Tag => 1;
    internal override void WriteBody(BorshWriter writer) => writer.Bytes(Code);
    public bool Equals(DeployContractAction? other) => other is not null && Code.AsSpan().SequenceEqual(other.Code);
    public override int GetHashCode() => Code.Length;
}
