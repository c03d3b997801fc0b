using Keystore.Attestation.Collateral;

namespace Keystore.Boot;

/// <summary>The evidence this worker obtained at boot: everything the DAO (or anyone) needs to verify it.</summary>
public sealed record WorkerAttestation(
    string Provider,
    bool Simulated,
    byte[] Quote,
    string EventLogJson,
    string TcbInfoJson,
    byte[] Rtmr3,
    QuoteCollateralV3 Collateral,
    string AppCompose);
