using Keystore.Near.Borsh;
using Keystore.Near.Keys;

namespace Keystore.Near.Transactions;

public sealed record StakeAction(UInt128 Stake, Ed25519PublicKey PublicKey) : NearAction
{
    public override byte Tag => 4;
    internal override void WriteBody(BorshWriter writer) => BorshKeys.WritePublicKey(writer.U128(Stake), PublicKey);
}
