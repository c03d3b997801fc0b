using Keystore.Near.Borsh;

namespace Keystore.Near.Transactions;

public sealed record FullAccessPermission : AccessKeyPermission
{
    public static readonly FullAccessPermission Instance = new();
    public override void Write(BorshWriter writer) => writer.U8(1);
}
