using Keystore.Chains.Bitcoin;
using Keystore.Chains.Ethereum;
using static Keystore.Chains.Tests.TestSupport;

namespace Keystore.Chains.Tests;

/// <summary>What a key keeps that follows from its public key alone: computed once, shared with its clones (as the key cache hands them out).</summary>
public class PublicKeyValuesTests
{
    private const string Secret = "4646464646464646464646464646464646464646464646464646464646464646";

    [Fact]
    public void A_value_is_computed_once_per_key_and_shared_with_clones_made_before_or_after()
    {
        using var key = Keys.Secp256k1Key(Secret);
        using var earlyClone = key.Clone();
        int computed = 0;
        EthereumKeyAddress Count(byte[] publicKey)
        {
            Interlocked.Increment(ref computed);
            return EthereumKeyAddress.Of(publicKey);
        }
        var address = earlyClone.PublicValue(Count);
        using var lateClone = key.Clone();
        Assert.Same(address, key.PublicValue(Count));
        Assert.Same(address, lateClone.PublicValue(Count));
        Assert.Equal(1, computed);
        // EIP-155's example key (its address is the one Describe gives, from the public key alone).
        Assert.Equal("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F", address.Checksummed);
        Assert.Equal(new EthereumSigner().Describe(key.PublicKey).Address, address.Checksummed);
        // Another type has its own slot.
        var taproot = lateClone.PublicValue(TaprootOutput.Of);
        Assert.Same(taproot, key.PublicValue(TaprootOutput.Of));
        Assert.Equal(ToHex(BitcoinSigner.OutputKey(key.PublicKey)), ToHex(taproot.OutputKey));
        Assert.Same(address, key.PublicValue(Count));
    }

    [Fact]
    public void Racing_threads_all_get_the_first_value_stored()
    {
        using var key = Keys.Secp256k1Key(Secret);
        var seen = new EthereumKeyAddress[16];
        using var start = new Barrier(seen.Length);
        var threads = Enumerable.Range(0, seen.Length).Select(i => new Thread(() =>
        {
            using var clone = key.Clone();
            start.SignalAndWait();
            seen[i] = clone.PublicValue(EthereumKeyAddress.Of);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.All(seen, value => Assert.Same(key.PublicValue(EthereumKeyAddress.Of), value));
    }

    [Fact]
    public void Keys_with_other_public_keys_do_not_share_values()
    {
        using var first = Keys.Secp256k1Key(Secret);
        using var second = Keys.Secp256k1Key("0000000000000000000000000000000000000000000000000000000000000003");
        Assert.NotEqual(first.PublicValue(EthereumKeyAddress.Of).Checksummed, second.PublicValue(EthereumKeyAddress.Of).Checksummed);
        Assert.NotEqual(ToHex(first.PublicValue(TaprootOutput.Of).OutputKey), ToHex(second.PublicValue(TaprootOutput.Of).OutputKey));
    }
}
