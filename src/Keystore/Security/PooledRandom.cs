using System.Security.Cryptography;

namespace Keystore.Security;

/// <summary>
/// Short random values (row ids, AEAD nonces, salts, tags) from the OS CSPRNG, drawn a block at a time per thread and
/// handed out once each. <see cref="RandomNumberGenerator"/> goes through OpenSSL, whose fork check makes a <c>getpid</c>
/// system call on every draw: ~2 µs on a TDX guest, where system calls are dear, and a sign request draws five times.
/// A block costs one draw for dozens of values.
/// </summary>
/// <remarks>
/// Each byte is handed out once and wiped from the block as it goes; the bytes not handed out yet live only in this
/// process's memory, as OpenSSL's own generator state does. Keys are not drawn here: they come from
/// <see cref="RandomNumberGenerator"/> directly (as does anything longer than <see cref="MaxDraw"/>).
/// </remarks>
public static class PooledRandom
{
    /// <summary>The longest value served from the block; longer ones are drawn on their own.</summary>
    public const int MaxDraw = 64;

    private const int BlockSize = 1024;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_next;

    public static void Fill(Span<byte> destination)
    {
        if (destination.Length > MaxDraw)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }
        byte[]? block = t_block;
        int next = t_next;
        if (block is null || BlockSize - next < destination.Length)
        {
            block ??= t_block = GC.AllocateArray<byte>(BlockSize, pinned: true);
            RandomNumberGenerator.Fill(block);
            next = 0;
        }
        Span<byte> drawn = block.AsSpan(next, destination.Length);
        drawn.CopyTo(destination);
        CryptographicOperations.ZeroMemory(drawn);
        t_next = next + destination.Length;
    }

    public static byte[] GetBytes(int count)
    {
        byte[] bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }
}
