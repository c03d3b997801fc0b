using Keystore.Near.Borsh;

namespace Keystore.Near.Transactions;

public sealed record DeleteAccountAction(string BeneficiaryId) : NearAction
{
    public override byte Tag => 7;
    internal override void WriteBody(BorshWriter writer) => writer.String(BeneficiaryId);
}
