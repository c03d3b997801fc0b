using System.Buffers.Binary;
using Keystore.Chains;

namespace Keystore.Tests.Agents;

/// <summary>Legacy Solana transaction messages the policy route tests sign, built byte by byte so a test can bend them.</summary>
internal static class SolanaTestMessages
{
    public const string TokenProgram = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";

    /// <summary>The SPL mint the token transfers name.</summary>
    public static readonly byte[] Mint = [.. Enumerable.Repeat((byte)3, 32)];

    /// <summary>
    /// One SPL Token <c>TransferChecked</c> of <paramref name="amount"/> (6 decimals) signed by <paramref name="payer"/>, with
    /// <paramref name="trailing"/> zero bytes after its arguments.
    /// </summary>
    public static byte[] TokenTransferChecked(byte[] payer, ulong amount, int trailing = 0)
    {
        byte[] data = new byte[10 + trailing];
        data[0] = 12; // TransferChecked { amount, decimals }
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(1), amount);
        data[9] = 6;
        return
        [
            1, 0, 2, // one signer; the mint and the program read-only
            5, .. payer, .. Enumerable.Repeat((byte)4, 32), .. Enumerable.Repeat((byte)5, 32), .. Mint, .. Base58.Decode(TokenProgram),
            .. Enumerable.Repeat((byte)9, 32),
            1, 4, 4, 1, 3, 2, 0, (byte)data.Length, .. data, // source, mint, destination, authority
        ];
    }
}
