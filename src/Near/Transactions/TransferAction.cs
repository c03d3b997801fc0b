using Keystore.Near.Borsh;

namespace Keystore.Near.Transactions;

public sealed record TransferAction(UInt128 Deposit) : NearAction
{
    public override byte Tag => 3;
    internal override void WriteBody(BorshWriter writer) => writer.U128(Deposit);
}
