using System.Text.Json.Nodes;
using Keystore.Attestation.Simulator;
using Keystore.Attestation.Tee;
using Keystore.Dao;
using Keystore.Near.Keys;
using Keystore.Near.Rpc;

namespace Keystore.EndToEnd.Tests.Support;

/// <summary>
/// A worker the test drives by hand (its key is in the test, unlike a keystore's): quotes from the local
/// simulator profile (or another), registration arguments, and transactions with its DAO access key.
/// </summary>
public sealed class TestWorker : IDisposable
{
    public TestWorker(SimulatedTdxOptions? simulator = null)
    {
        Simulator = new SimulatedTdxProvider(simulator ?? SimulatedTdxOptions.LocalDevelopment);
    }

    public Ed25519KeyPair Key { get; } = Ed25519KeyPair.Generate();

    public SimulatedTdxProvider Simulator { get; }

    public async Task<JsonObject> RegistrationArgsAsync(Action<byte[]>? tamper = null)
    {
        byte[] reportData = new byte[64];
        Key.PublicKey.Bytes.Span.CopyTo(reportData);
        TeeQuote quote = await Simulator.GetQuoteAsync(reportData, CancellationToken.None);
        byte[] raw = quote.Quote.ToArray();
        tamper?.Invoke(raw);
        return TeeDaoClient.RegistrationArgs(Key.PublicKey, raw, Simulator.Collateral, quote.EventLogJson, Simulator.Pki.Options.AppCompose);
    }

    public TransactionSender DaoSender(NearRpcClient rpc) => new(rpc, LocalKeystoreNetwork.Dao, Key);

    public void Dispose() => Key.Dispose();
}
