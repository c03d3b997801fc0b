using Keystore.Near.Borsh;

namespace Keystore.Near.Transactions;

public sealed record CreateAccountAction : NearAction
{
    public override byte Tag => 0;
    internal override void WriteBody(BorshWriter writer) { }
}
