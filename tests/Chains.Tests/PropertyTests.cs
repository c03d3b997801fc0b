using FsCheck;
using FsCheck.Xunit;
using Keystore.Chains.Bitcoin;
using Keystore.Chains.Ethereum;

namespace Keystore.Chains.Tests;

/// <summary>Round-trip and agreement properties over generated inputs.</summary>
public class PropertyTests
{
    /// <summary>Taproot addresses (NBitcoin's bech32m) read back as the witness program written, on their own network only.</summary>
    [Property(MaxTest = 300)]
    public bool Taproot_addresses_round_trip(byte[] seed)
    {
        byte[] program = XOnlyKey(seed);
        var address = new NBitcoin.TaprootAddress(new NBitcoin.TaprootPubKey(program), NBitcoin.Network.TestNet).ToString();
        var back = NBitcoin.BitcoinAddress.Create(address, NBitcoin.Network.TestNet);
        return address.StartsWith("tb1p", StringComparison.Ordinal)
            && back.ScriptPubKey.ToBytes().AsSpan().SequenceEqual((byte[])[0x51, 0x20, .. program])
            && !IsAddress(address, NBitcoin.Network.Main);
    }

    [Property(MaxTest = 300)]
    public bool Taproot_addresses_detect_one_substitution(byte[] seed, PositiveInt position, PositiveInt replacement)
    {
        var address = new NBitcoin.TaprootAddress(new NBitcoin.TaprootPubKey(XOnlyKey(seed)), NBitcoin.Network.Main).ToString();
        int i = 3 + position.Get % (address.Length - 3);
        // Any bech32 character but the one already there: every case is a real substitution.
        string others = "qpzry9x8gf2tvdw0s3jn54khce6mua7l".Replace(address[i].ToString(), "", StringComparison.Ordinal);
        Assert.Equal(31, others.Length);
        char c = others[replacement.Get % others.Length];
        var mutated = address[..i] + c + address[(i + 1)..];
        return !IsAddress(mutated, NBitcoin.Network.Main);
    }

    /// <summary>A valid x-only public key drawn from the seed (a random 32-byte string is a curve point only half the time).</summary>
    private static byte[] XOnlyKey(byte[] seed)
    {
        var xonly = new byte[32];
        Secp256k1.GetXOnlyPublicKey(System.Security.Cryptography.SHA256.HashData(seed), xonly, out _);
        return xonly;
    }

    private static bool IsAddress(string text, NBitcoin.Network network)
    {
        try
        {
            NBitcoin.BitcoinAddress.Create(text, network);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [Property(MaxTest = 200)]
    public bool Base58_round_trips(byte[] data) =>
        Base58.TryDecode(Base58.Encode(data), out var back) && back.AsSpan().SequenceEqual(data);

    [Property(MaxTest = 50)]
    public bool Ecdsa_signatures_recover_and_are_low_s(byte[] seed, byte[] hashSeed)
    {
        var sk = System.Security.Cryptography.SHA256.HashData(seed);
        var hash = System.Security.Cryptography.SHA256.HashData(hashSeed);
        // A SHA-256 output is a valid key but with probability ~2^-128: assert it rather than skip the case as a pass.
        Assert.True(Secp256k1.IsValidPrivateKey(sk));
        var pub = new byte[33];
        Secp256k1.GetPublicKey(sk, pub);
        var sig = new byte[64];
        int rec = Secp256k1.SignRecoverable(sk, hash, sig);
        var recovered = new byte[33];
        return Secp256k1.TryRecover(hash, sig, rec, recovered) && recovered.AsSpan().SequenceEqual(pub)
            && Secp256k1.VerifyEcdsa(pub, hash, sig) && sig[32] < 0x80 && rec is 0 or 1;
    }
}
