using Keystore.Near.Borsh;
using Keystore.Near.Keys;

namespace Keystore.Near.Transactions;

public sealed record DeleteKeyAction(Ed25519PublicKey PublicKey) : NearAction
{
    public override byte Tag => 6;
    internal override void WriteBody(BorshWriter writer) => BorshKeys.WritePublicKey(writer, PublicKey);
}
