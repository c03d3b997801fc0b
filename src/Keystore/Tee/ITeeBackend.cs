using Keystore.Attestation.Collateral;
using Keystore.Attestation.Tee;

namespace Keystore.Tee;

/// <summary>
/// The keystore's TEE: everything the boot sequence needs from it, the quote, the TD's identity and the collateral
/// that lets the DAO verify the quote. The attestation library's low-level quote sources (<see cref="ITeeProvider"/>)
/// stay behind the implementations, so keystore code names one TEE interface. Registered side by side under a
/// name; <c>Keystore:Tee:Provider</c> picks one.
/// </summary>
public interface ITeeBackend
{
    /// <summary><c>dstack</c> or <c>simulator</c>.</summary>
    string Name { get; }

    /// <summary>True when quotes are signed by a local test PKI, not Intel's: never trust them in production.</summary>
    bool IsSimulated { get; }

    /// <summary>A quote over <paramref name="reportData"/>, with its event log; throws <see cref="Boot.BootFailureException"/> when this TEE cannot be used here.</summary>
    Task<TeeQuote> GetQuoteAsync(ReadOnlyMemory<byte> reportData, CancellationToken cancellationToken);

    /// <summary>The TD's identity; throws <see cref="Boot.BootFailureException"/> when this TEE cannot be used here.</summary>
    Task<TeeInfo> GetInfoAsync(CancellationToken cancellationToken);

    /// <summary>The collateral a verifier (the DAO contract) needs for <paramref name="quote"/>.</summary>
    Task<QuoteCollateralV3> GetCollateralAsync(ReadOnlyMemory<byte> quote, CancellationToken cancellationToken);
}
