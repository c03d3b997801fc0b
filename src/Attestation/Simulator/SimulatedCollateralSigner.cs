namespace Keystore.Attestation.Simulator;

/// <summary>Which key of a <see cref="SimulatedPki"/> signs the TCB info and QE identity of its collateral.</summary>
public enum SimulatedCollateralSigner
{
    /// <summary>The TCB signing certificate, issued by the root: the only genuine signer.</summary>
    TcbSigning,

    /// <summary>The platform's PCK leaf: a forgery by whoever extracted one platform's PCK key.</summary>
    PckLeaf,

    /// <summary>The PCK platform CA, an intermediate issued by the root: a forgery as well.</summary>
    PckPlatformCa,
}
