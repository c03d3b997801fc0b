using Keystore.Near.Borsh;
using Keystore.Near.Keys;

namespace Keystore.Near.Transactions;

public sealed record AddKeyAction(Ed25519PublicKey PublicKey, AccessKey AccessKey) : NearAction
{
    public override byte Tag => 5;

    internal override void WriteBody(BorshWriter writer)
    {
        BorshKeys.WritePublicKey(writer, PublicKey);
        AccessKey.Write(writer);
    }
}
