using Keystore.Attestation.Simulator;

namespace Keystore.LocalNetwork.Bootstrap;

/// <summary>The keystore's contracts on a local chain: who they are, who governs them, what they trust.</summary>
public sealed record KeystoreNetworkSettings
{
    public string DaoAccountId { get; init; } = "dao.test.near";
    public string ChainKeysAccountId { get; init; } = "chain-keys.test.near";
    public string MpcAccountId { get; init; } = "v1.signer.test.near";
    public int CkdDomainId { get; init; } = 2;
    public string CkdPath { get; init; } = "keystore";

    /// <summary>The local council; the first <see cref="Threshold"/> of them vote the measurements in.</summary>
    public IReadOnlyList<string> Council { get; init; } = ["alice.test.near", "bob.test.near", "carol.test.near"];
    public int Threshold { get; init; } = 2;

    /// <summary>Folder with <c>tee_dao.wasm</c> and <c>chain_keys.wasm</c> (contracts/build.sh writes contracts/out).</summary>
    public required string WasmDirectory { get; init; }

    /// <summary>The simulated TD whose root CA the DAO pins and whose measurements the council approves.</summary>
    public SimulatedTdxOptions Simulator { get; init; } = SimulatedTdxOptions.LocalDevelopment;
}
