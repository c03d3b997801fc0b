using FsCheck.Xunit;
using Keystore.Near.Encoding;
using Keystore.Near.Keys;
using Keystore.Near.Nep413;
using Keystore.Near.Transactions;

namespace Keystore.Near.Tests.Encoding;

/// <summary>Round-trip properties over generated inputs (FsCheck).</summary>
public class PropertyTests
{
    private static readonly Ed25519KeyPair Key = Ed25519KeyPair.Generate();

    [Property(MaxTest = 300)]
    public bool Base58_round_trips(byte[] data) => Base58.Decode(Base58.Encode(data)).AsSpan().SequenceEqual(data);

    [Property(MaxTest = 100)]
    public bool Transaction_borsh_round_trips_and_verifies(ulong nonce, ulong gas, byte[] args, string? method, ulong deposit, bool fullAccess)
    {
        // Method names are ASCII on NEAR; generated strings may hold lone surrogates UTF-8 cannot carry.
        method = new string((method ?? "").Where(c => c < 128).ToArray());
        var actions = new List<NearAction>
        {
            new FunctionCallAction(method, args, gas, deposit),
            new TransferAction(((UInt128)deposit << 64) | nonce),
            new AddKeyAction(Key.PublicKey, fullAccess ? AccessKey.FullAccess() : AccessKey.FunctionCall("r.near", [method], deposit)),
        };
        var blockHash = System.Security.Cryptography.SHA256.HashData(args);
        var signed = new Transaction("a.near", Key.PublicKey, nonce, "b.near", blockHash, actions).Sign(Key);
        var decoded = SignedTransaction.FromBorsh(signed.ToBorsh());
        return decoded.Equals(signed) && decoded.VerifySignature();
    }

    [Property(MaxTest = 100)]
    public bool Nep413_hash_depends_on_every_field(string? message, string? recipient)
    {
        message ??= ""; recipient ??= "";
        var nonce = new byte[32];
        var h = Nep413Payload.Hash(message, nonce, recipient);
        nonce[31] = 1;
        return !h.AsSpan().SequenceEqual(Nep413Payload.Hash(message, nonce, recipient))
            && !h.AsSpan().SequenceEqual(Nep413Payload.Hash(message + "x", new byte[32], recipient))
            && !h.AsSpan().SequenceEqual(Nep413Payload.Hash(message, new byte[32], recipient, ""));
    }
}
