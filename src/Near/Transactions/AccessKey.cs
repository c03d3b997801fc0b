using Keystore.Near.Borsh;

namespace Keystore.Near.Transactions;

/// <summary>nearcore <c>AccessKey { nonce: u64, permission }</c>.</summary>
public sealed record AccessKey(ulong Nonce, AccessKeyPermission Permission)
{
    public static AccessKey FullAccess() => new(0, FullAccessPermission.Instance);

    public static AccessKey FunctionCall(string receiverId, IReadOnlyList<string> methodNames, UInt128? allowance = null) =>
        new(0, new FunctionCallPermission(allowance, receiverId, methodNames));

    public void Write(BorshWriter writer)
    {
        writer.U64(Nonce);
        Permission.Write(writer);
    }

    public static AccessKey Read(ref BorshReader reader) => new(reader.U64(), AccessKeyPermission.Read(ref reader));
}
