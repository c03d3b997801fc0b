using Keystore.Near.Borsh;

namespace Keystore.Near.Transactions;

/// <summary>nearcore <c>AccessKeyPermission</c>: 0 = FunctionCall, 1 = FullAccess.</summary>
public abstract record AccessKeyPermission
{
    public abstract void Write(BorshWriter writer);

    public static AccessKeyPermission Read(ref BorshReader reader)
    {
        byte tag = reader.U8();
        switch (tag)
        {
            case 0:
                UInt128? allowance = reader.OptionTag() ? reader.U128() : null;
                string receiver = reader.String();
                uint count = reader.U32();
                if (count > reader.Remaining) throw new FormatException("Borsh: method name count exceeds input.");
                var names = new List<string>((int)count);
                for (uint i = 0; i < count; i++) names.Add(reader.String());
                return new FunctionCallPermission(allowance, receiver, names);
            case 1:
                return FullAccessPermission.Instance;
            default:
                throw new FormatException($"Unsupported access key permission tag {tag}.");
        }
    }
}
