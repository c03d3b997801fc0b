using BenchmarkDotNet.Attributes;
using Keystore.Chains.Bitcoin;
using Keystore.Export;
using Keystore.MasterSecrets;

namespace Keystore.Benchmarks;

/// <summary>
/// The export route's own cost: age encryption of a 24-word mnemonic (one X25519 agreement, three HKDFs, an HMAC
/// and two ChaCha20-Poly1305 calls), armored, and the whole plaintext writer + encryption of a mnemonic export.
/// </summary>
[MemoryDiagnoser]
public class AgeExportBenchmarks
{
    private const string Mnemonic =
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
        + "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art";

    private readonly byte[] _mnemonic = System.Text.Encoding.ASCII.GetBytes(Mnemonic);
    private AgeRecipient _recipient = null!;
    private MasterSecret _master = null!;
    private ExportRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _recipient = AgeRecipient.Parse("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj");
        _master = new MasterSecret(Convert.FromHexString("7f1e9c3a5b2d4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"));
        _request = new ExportRequest(_recipient, IncludeMnemonic: true, Keys: []);
    }

    [GlobalCleanup]
    public void Cleanup() => _master.Dispose();

    [Benchmark]
    public int ParseRecipient() => AgeRecipient.Parse("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj").PublicKey[0];

    [Benchmark(Baseline = true)]
    public int EncryptMnemonicArmored() => AgeEncryptor.EncryptArmored(_recipient, _mnemonic).Length;

    [Benchmark]
    public int WriteAndEncryptMnemonicExport()
    {
        using SecretText plaintext = AccountExportWriter.Write(_master, "alice.near", _request, BitcoinNetwork.Mainnet);
        return AgeEncryptor.EncryptArmored(_recipient, plaintext.Bytes).Length;
    }
}
