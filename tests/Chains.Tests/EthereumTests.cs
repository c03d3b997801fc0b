using System.Numerics;
using Keystore.Chains.Ethereum;
using static Keystore.Chains.Tests.TestSupport;

namespace Keystore.Chains.Tests;

/// <summary>The typed Ethereum signer (no JSON): the request shapes are tested against the API's handler in Keystore.Tests.</summary>
public class EthereumTests
{
    private static readonly EthereumSigner Signer = new();

    private static EthereumTransaction Eip155Example(byte[]? from = null) => new()
    {
        Type = 0, ChainId = 1, Nonce = 9, GasPrice = 20_000_000_000, GasLimit = 21_000,
        To = Hex("3535353535353535353535353535353535353535"), Value = BigInteger.Parse("1000000000000000000"), From = from,
    };

    /// <summary>The EIP-155 example transaction (nonce 9, 20 gwei, 21000 gas, 1 ether to 0x3535…, chain 1, key 0x4646…).</summary>
    [Fact]
    public void Eip155_example_transaction_signs_to_the_published_encoding()
    {
        using var key = Keys.Secp256k1Key("4646464646464646464646464646464646464646464646464646464646464646");
        var signed = Signer.SignTransaction(key, Eip155Example());
        Assert.Equal("f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            ToHex(signed.Encoded));
        Assert.Equal("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F", signed.From);
        // EIP-155: signing data 0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080
        Assert.Equal("ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080", ToHex(Eip155Example().EncodeUnsigned()));
        Assert.Equal("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", ToHex(Eip155Example().SigningHash()));
    }

    [Fact]
    public void A_transaction_naming_another_sender_or_breaking_the_rules_is_refused()
    {
        using var key = Keys.Secp256k1Key("4646464646464646464646464646464646464646464646464646464646464646");
        EthereumTransaction[] refused =
        [
            Eip155Example(from: new byte[20]),
            new() { Type = 0, ChainId = 0, Nonce = 0, GasPrice = 1, GasLimit = 21_000 },
            new() { Type = 0, ChainId = EthereumTransaction.MaxChainId + 1, Nonce = 0, GasPrice = 1, GasLimit = 21_000 },
            new() { Type = 0, ChainId = 1, Nonce = BigInteger.One << 64, GasPrice = 1, GasLimit = 53_000 },
            new() { Type = 0, ChainId = 1, Nonce = 0, GasPrice = 1, GasLimit = 20_999, To = new byte[20] },
            new() { Type = 0, ChainId = 1, Nonce = 0, GasLimit = 21_000, To = new byte[20] },
            new() { Type = 2, ChainId = 1, Nonce = 0, GasPrice = 1, MaxFeePerGas = 1, MaxPriorityFeePerGas = 1, GasLimit = 21_000, To = new byte[20] },
            new() { Type = 2, ChainId = 1, Nonce = 0, MaxFeePerGas = 1, MaxPriorityFeePerGas = 2, GasLimit = 21_000, To = new byte[20] },
            new() { Type = 3, ChainId = 1, Nonce = 0, MaxFeePerGas = 1, MaxPriorityFeePerGas = 1, GasLimit = 21_000, To = new byte[20] },
            new() { Type = 0, ChainId = 1, Nonce = 0, GasPrice = 1, GasLimit = 30_000, To = new byte[20], AccessList = [new AccessListEntry(new byte[20], [])] },
            new() { Type = 1, ChainId = 1, Nonce = 0, GasPrice = -1, GasLimit = 21_000, To = new byte[20] },
            new() { Type = 1, ChainId = 1, Nonce = 0, GasPrice = 1, GasLimit = 21_000, To = new byte[19] },
        ];
        foreach (var transaction in refused)
            Assert.Equal(ChainError.InvalidTransaction, Assert.Throws<ChainRequestException>(() => Signer.SignTransaction(key, transaction)).Error);
    }

    [Fact]
    public void Intrinsic_gas_floor_counts_data_creation_and_access_list()
    {
        Assert.Equal(9_223_372_036_854_775_771, (long)EthereumTransaction.MaxChainId);
        Assert.Equal(21_064 + 2_400 + 1_900, EthereumTransaction.IntrinsicGasFloor(Hex("a9059cbb"),
            creation: false, [new AccessListEntry(new byte[20], [new byte[32]])]));
        Assert.Equal(21_000 + 32_000 + 4 + 16, EthereumTransaction.IntrinsicGasFloor([0, 1], creation: true, []));
    }

    [Fact]
    public void Personal_message_hash_is_eip191()
    {
        // keccak256("\x19Ethereum Signed Message:\n5hello"), as ethers.hashMessage("hello") gives it.
        Assert.Equal("50b2c43fd39106bafbba0da34fc430e1f91e3c96ea2acee2bc34119f92b37750", ToHex(EthereumSigner.PersonalMessageHash("hello"u8)));
        using var key = Keys.Secp256k1Key("4646464646464646464646464646464646464646464646464646464646464646");
        var signature = Signer.SignPersonalMessage(key, "hello"u8);
        var recovered = new byte[33];
        Assert.True(Secp256k1.TryRecover(EthereumSigner.PersonalMessageHash("hello"u8), signature[..64], signature[64] - 27, recovered));
        Assert.Equal(key.PublicKey.ToArray(), recovered);
    }

    // EIP-55 examples.
    [Theory]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x27b1fdb04752bbc536007a920d24acb045561c26")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Eip55_checksum_vectors(string address)
    {
        Assert.True(EthereumAddress.TryParse(address, out var bytes));
        bool mixed = address.Skip(2).Any(char.IsLower) && address.Skip(2).Any(char.IsUpper);
        if (mixed) Assert.Equal(address, EthereumAddress.ToChecksum(bytes));
        else Assert.Equal(address.ToLowerInvariant(), EthereumAddress.ToChecksum(bytes).ToLowerInvariant());
        if (mixed)
        {
            // One flipped letter breaks the checksum.
            int i = address.IndexOfAny("abcdef".ToCharArray(), 2);
            var typo = address[..i] + char.ToUpperInvariant(address[i]) + address[(i + 1)..];
            Assert.False(EthereumAddress.TryParse(typo, out _));
        }
    }

    [Fact]
    public void Describe_and_path()
    {
        using var key = Keys.Secp256k1Key("4646464646464646464646464646464646464646464646464646464646464646");
        var described = Signer.Describe(key.PublicKey);
        Assert.Equal("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F", described.Address);
        Assert.StartsWith("secp256k1:", described.PublicKey);
        var full = new byte[65];
        Assert.True(Secp256k1.TryDecompress(key.PublicKey, full));
        Assert.Equal(full[1..], Base58.Decode(described.PublicKey["secp256k1:".Length..]));
        Assert.Equal("m/44'/60'/0'/0/7", Signer.DerivationPath(7).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => Signer.DerivationPath(0x8000_0000));
    }

    [Fact]
    public void A_secp256k1_key_derives_its_own_public_key_and_refuses_an_invalid_scalar()
    {
        // 3·G, the compressed point from SEC 2's multiples of the generator.
        using var key = Keys.Secp256k1Key("0000000000000000000000000000000000000000000000000000000000000003");
        Assert.Equal("02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9", ToHex(key.PublicKey));
        Assert.Throws<ArgumentException>(() => new SigningKey(KeyCurve.Secp256k1, new byte[32]));
        Assert.Throws<ArgumentException>(() => new SigningKey(KeyCurve.Secp256k1, Hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")));
        using var clone = key.Clone();
        Assert.Equal(ToHex(key.PublicKey), ToHex(clone.PublicKey));
        Assert.Equal(ToHex(key.PrivateKey), ToHex(clone.PrivateKey));
    }
}
