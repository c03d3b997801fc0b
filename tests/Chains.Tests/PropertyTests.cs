using FsCheck;
using FsCheck.Xunit;
using Keystore.Chains.Bitcoin;
using Keystore.Chains.Ethereum;
using Keystore.Near.Encoding;

namespace Keystore.Chains.Tests;

/// <summary>Round-trip and agreement properties over generated inputs.</summary>
public class PropertyTests
{
    [Property(MaxTest = 300)]
    public bool SegwitAddressesRoundTrip(byte[] program, byte version)
    {
        int witnessVersion = version % 17;
        if (program.Length is < 2 or > 40 || (witnessVersion == 0 && program.Length is not (20 or 32))) return true;
        var address = Bech32.EncodeSegwitAddress("tb", witnessVersion, program);
        return Bech32.TryDecodeSegwitAddress("tb", address, out int v, out var back)
            && v == witnessVersion && back.AsSpan().SequenceEqual(program)
            && !Bech32.TryDecodeSegwitAddress("bc", address, out _, out _);
    }

    [Property(MaxTest = 300)]
    public bool Bech32DetectsOneSubstitution(byte[] program, PositiveInt position, PositiveInt replacement)
    {
        if (program.Length is < 2 or > 40) return true;
        var address = Bech32.EncodeSegwitAddress("bc", 1, program);
        int i = 3 + position.Get % (address.Length - 3);
        const string charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        char c = charset[replacement.Get % 32];
        if (c == address[i]) return true;
        var mutated = address[..i] + c + address[(i + 1)..];
        return !Bech32.TryDecodeSegwitAddress("bc", mutated, out _, out _);
    }

    [Property(MaxTest = 200)]
    public bool Base58RoundTrips(byte[] data) =>
        Base58.TryDecode(Base58.Encode(data), out var back) && back.AsSpan().SequenceEqual(data);

    [Property(MaxTest = 50)]
    public bool EcdsaSignaturesRecoverAndAreLowS(byte[] seed, byte[] hashSeed)
    {
        var sk = System.Security.Cryptography.SHA256.HashData(seed);
        var hash = System.Security.Cryptography.SHA256.HashData(hashSeed);
        if (!Secp256k1.IsValidPrivateKey(sk)) return true; // probability ~2^-128
        var pub = new byte[33];
        Secp256k1.GetPublicKey(sk, pub);
        var sig = new byte[64];
        int rec = Secp256k1.SignRecoverable(sk, hash, sig);
        var recovered = new byte[33];
        return Secp256k1.TryRecover(hash, sig, rec, recovered) && recovered.AsSpan().SequenceEqual(pub)
            && Secp256k1.VerifyEcdsa(pub, hash, sig) && sig[32] < 0x80 && rec is 0 or 1;
    }

    [Property(MaxTest = 200)]
    public bool DecimalAndHexQuantitiesAgree(ulong value)
    {
        var hex = EthereumJsonProbe($"\"0x{value:x}\"");
        var dec = EthereumJsonProbe($"\"{value}\"");
        return hex == dec && hex == value;
    }

    private static System.Numerics.BigInteger EthereumJsonProbe(string json) =>
        EthereumTransaction.Parse(Keys.Json($$"""{"chainId": 1, "nonce": {{json}}, "gasPrice": "1", "gas": "53000"}""")).Nonce;
}
