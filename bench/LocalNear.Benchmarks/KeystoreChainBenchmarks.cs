using BenchmarkDotNet.Attributes;
using Keystore.LocalNear.Chain;
using Keystore.Near.Bls12381;
using Keystore.Near.Ckd;
using Keystore.Near.Keys;
using Keystore.Near.Transactions;

namespace Keystore.LocalNear.Benchmarks;

/// <summary>
/// The keystore's chain operations on the in-process local chain (<see cref="KeystoreChain"/>), each end to end:
/// build and sign the transaction, validate, execute every receipt to the final outcome. State grows across
/// operations (one more worker per registration, one more block per receipt round), as on a running chain.
/// </summary>
[MemoryDiagnoser]
public class KeystoreChainBenchmarks
{
    private static readonly byte[] EmptyArgs = "{}"u8.ToArray();

    private KeystoreChain _network = null!;
    private Ed25519KeyPair _worker = null!;
    private Ed25519KeyPair _root = null!;
    private string _appPublicKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        _network = KeystoreChain.CreateAsync().GetAwaiter().GetResult();
        _root = _network.KeyOf(KeystoreChain.Root);
        (_worker, var registration) = _network.RegisterFreshWorkerAsync().GetAwaiter().GetResult();
        Console.WriteLine("// register_worker_key: " + KeystoreChain.Describe(registration));

        // The round trip measured below really works: the answer decrypts to a signature that verifies for the DAO.
        byte[] a = Scalar.Random();
        _appPublicKey = BlsKeyText.Encode(G1Point.Generator.Multiply(a));
        var outcome = _network.RequestMasterSecretAsync(_worker, _appPublicKey).GetAwaiter().GetResult();
        Console.WriteLine("// request_master_secret: " + KeystoreChain.Describe(outcome));
        var signature = CkdCrypto.Decrypt(CkdResponse.FromJson(KeystoreChain.SuccessText(outcome)), a);
        if (!CkdCrypto.Verify(signature, _network.MpcNetwork.PublicKey, CkdAppId.Derive(KeystoreChain.Dao, KeystoreChain.CkdPath)))
            throw new InvalidOperationException("the CKD answer does not verify");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _worker.Dispose();
        _network.Dispose();
    }

    /// <summary>A fresh worker key, its simulator quote, and <c>register_worker_key</c> (on-chain DCAP verification, add_key receipt).</summary>
    [Benchmark]
    public async Task<FinalExecutionOutcome> RegisterWorkerKey()
    {
        using var worker = Ed25519KeyPair.Generate();
        var outcome = await _network.SendAsync(KeystoreChain.Root, _root, KeystoreChain.Dao,
            FunctionCallAction.Json("register_worker_key", _network.RegistrationArgs(worker.PublicKey), KeystoreChain.RegisterGas, 0));
        KeystoreChain.EnsureSuccess(outcome, "register_worker_key");
        return outcome;
    }

    /// <summary>The part of <see cref="RegisterWorkerKey"/> before the chain: key generation and the simulator's quote.</summary>
    [Benchmark]
    public string FreshWorkerQuoteOnly()
    {
        using var worker = Ed25519KeyPair.Generate();
        return _network.RegistrationArgs(worker.PublicKey);
    }

    /// <summary>
    /// <c>request_master_secret</c> with the worker's key: DAO → native MPC signer (CKD) → DAO callback, three receipts;
    /// the answer parsed as the keystore parses it.
    /// </summary>
    [Benchmark]
    public async Task<CkdResponse> RequestMasterSecret()
    {
        var outcome = await _network.RequestMasterSecretAsync(_worker, _appPublicKey);
        return CkdResponse.FromJson(KeystoreChain.SuccessText(outcome));
    }

    /// <summary>A view call (<c>get_config</c>) on the DAO's wasm.</summary>
    [Benchmark]
    public ViewCallResult ViewGetConfig() => _network.Chain.CallFunction(KeystoreChain.Dao, "get_config", EmptyArgs);

    /// <summary>A signed 1-yoctoNEAR transfer between genesis accounts.</summary>
    [Benchmark]
    public async Task<FinalExecutionOutcome> Transfer()
    {
        var outcome = await _network.SendAsync(KeystoreChain.Root, _root, KeystoreChain.Receiver, new TransferAction(1));
        KeystoreChain.EnsureSuccess(outcome, "transfer");
        return outcome;
    }
}
