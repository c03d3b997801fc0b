using FsCheck;
using FsCheck.Xunit;
using Keystore.Chains.Bitcoin;
using Keystore.Chains.Ethereum;

namespace Keystore.Chains.Tests;

/// <summary>Round-trip and agreement properties over generated inputs.</summary>
public class PropertyTests
{
    /// <summary>
    /// A witness program of exactly <paramref name="length"/> bytes drawn from the generated seed, so every case
    /// is a valid input (filtering raw byte arrays by length discarded most cases and counted them as passes).
    /// </summary>
    private static byte[] Program(byte[] seed, int length)
    {
        var program = new byte[length];
        for (int offset = 0, block = 0; offset < length; offset += 32, block++)
        {
            byte[] chunk = System.Security.Cryptography.SHA256.HashData([.. seed, (byte)block]);
            chunk.AsSpan(0, Math.Min(32, length - offset)).CopyTo(program.AsSpan(offset));
        }
        return program;
    }

    [Property(MaxTest = 300)]
    public bool Segwit_addresses_round_trip(byte[] seed, byte version, NonNegativeInt lengthPick)
    {
        int witnessVersion = version % 17;
        // BIP141: version 0 programs are 20 or 32 bytes; other versions 2 to 40.
        int length = witnessVersion == 0 ? (lengthPick.Get % 2 == 0 ? 20 : 32) : 2 + lengthPick.Get % 39;
        byte[] program = Program(seed, length);
        var address = Bech32.EncodeSegwitAddress("tb", witnessVersion, program);
        return Bech32.TryDecodeSegwitAddress("tb", address, out int v, out var back)
            && v == witnessVersion && back.AsSpan().SequenceEqual(program)
            && !Bech32.TryDecodeSegwitAddress("bc", address, out _, out _);
    }

    [Property(MaxTest = 300)]
    public bool Bech32_detects_one_substitution(byte[] seed, NonNegativeInt lengthPick, PositiveInt position, PositiveInt replacement)
    {
        var address = Bech32.EncodeSegwitAddress("bc", 1, Program(seed, 2 + lengthPick.Get % 39));
        int i = 3 + position.Get % (address.Length - 3);
        // Any bech32 character but the one already there: every case is a real substitution.
        string others = "qpzry9x8gf2tvdw0s3jn54khce6mua7l".Replace(address[i].ToString(), "", StringComparison.Ordinal);
        Assert.Equal(31, others.Length);
        char c = others[replacement.Get % others.Length];
        var mutated = address[..i] + c + address[(i + 1)..];
        return !Bech32.TryDecodeSegwitAddress("bc", mutated, out _, out _);
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

    [Property(MaxTest = 200)]
    public bool Decimal_and_hex_quantities_agree(ulong value)
    {
        var hex = EthereumJsonProbe($"\"0x{value:x}\"");
        var dec = EthereumJsonProbe($"\"{value}\"");
        return hex == dec && hex == value;
    }

    private static System.Numerics.BigInteger EthereumJsonProbe(string json) =>
        EthereumTransaction.Parse(Keys.Json($$"""{"chainId": 1, "nonce": {{json}}, "gasPrice": "1", "gas": "53000"}""")).Nonce;
}
