namespace Keystore.Chains.Ethereum;

/// <summary>
/// A key's Ethereum address, derived once per key (<see cref="SigningKey.PublicValue{T}"/>) rather than on every transaction:
/// it costs a decompression and two Keccak hashes.
/// </summary>
internal sealed class EthereumKeyAddress
{
    private EthereumKeyAddress(byte[] address)
    {
        Address = address;
        Checksummed = EthereumAddress.ToChecksum(address);
    }

    /// <summary>20 bytes; shared, never to be changed.</summary>
    public byte[] Address { get; }

    /// <summary>EIP-55.</summary>
    public string Checksummed { get; }

    public static EthereumKeyAddress Of(byte[] publicKey) => new(EthereumAddress.FromPublicKey(publicKey));
}
