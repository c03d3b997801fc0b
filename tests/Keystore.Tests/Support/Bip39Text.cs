using System.Security.Cryptography;
using System.Text;
using Keystore.Derivation.BIP39;

namespace Keystore.Tests.Support;

/// <summary>A mnemonic as a string, to compare with published vectors; the keystore itself never makes one (strings cannot be wiped).</summary>
public static class Bip39Text
{
    public static string ToMnemonic(ReadOnlySpan<byte> entropy)
    {
        Span<byte> buffer = stackalloc byte[Bip39.MaxMnemonicBytes];
        int length = Bip39.WriteMnemonic(entropy, buffer);
        string mnemonic = Encoding.ASCII.GetString(buffer[..length]);
        CryptographicOperations.ZeroMemory(buffer);
        return mnemonic;
    }
}
