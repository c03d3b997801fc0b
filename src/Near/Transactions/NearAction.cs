using Keystore.Near.Borsh;

namespace Keystore.Near.Transactions;

/// <summary>A NEAR transaction action; the borsh enum tag is nearcore's <c>Action</c> variant index.</summary>
public abstract record NearAction
{
    public abstract byte Tag { get; }

    internal abstract void WriteBody(BorshWriter writer);

    public void Write(BorshWriter writer)
    {
        writer.U8(Tag);
        WriteBody(writer);
    }

    public static NearAction Read(ref BorshReader reader)
    {
        byte tag = reader.U8();
        return tag switch
        {
            0 => new CreateAccountAction(),
            1 => new DeployContractAction(reader.Bytes()),
            2 => FunctionCallAction.ReadBody(ref reader),
            3 => new TransferAction(reader.U128()),
            4 => new StakeAction(reader.U128(), BorshKeys.ReadPublicKey(ref reader)),
            5 => new AddKeyAction(BorshKeys.ReadPublicKey(ref reader), AccessKey.Read(ref reader)),
            6 => new DeleteKeyAction(BorshKeys.ReadPublicKey(ref reader)),
            7 => new DeleteAccountAction(reader.String()),
            _ => throw new FormatException($"Unsupported NEAR action tag {tag}."),
        };
    }
}
