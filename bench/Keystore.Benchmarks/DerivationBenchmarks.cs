using BenchmarkDotNet.Attributes;
using Keystore.Api;
using Keystore.Chains;
using Keystore.Derivation;
using Keystore.MasterSecrets;

namespace Keystore.Benchmarks;

/// <summary>
/// One key per chain from the master secret: HMAC → BIP39 mnemonic → PBKDF2 seed (2048 rounds of
/// SHA-512, the dominant cost) → BIP32/SLIP-0010 path. Every sign request pays this once.
/// </summary>
[MemoryDiagnoser]
public class DerivationBenchmarks
{
    private MasterSecret _master = null!;
    private ChainSignerRegistry _chains = null!;

    [Params("ethereum", "bitcoin", "solana")]
    public string Chain { get; set; } = "ethereum";

    [GlobalSetup]
    public void Setup()
    {
        _master = new MasterSecret(Convert.FromHexString("7f1e9c3a5b2d4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"));
        // The chains exactly as the host registers them.
        _chains = ChainSignerRegistry.Create(Keystore.Chains.Bitcoin.BitcoinNetwork.Mainnet);
    }

    [GlobalCleanup]
    public void Cleanup() => _master.Dispose();

    [Benchmark]
    public int DeriveKey()
    {
        using SigningKey key = AccountKeyDeriver.Derive(_master, "alice.near", _chains.Get(Chain), 0);
        return key.PublicKey[0];
    }
}
