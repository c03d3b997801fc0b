namespace Keystore.Attestation.Tee;

/// <summary>Where quotes come from: the dstack guest agent inside a real TDX CVM, or the local simulator.</summary>
public interface ITeeProvider
{
    /// <summary>"dstack" or "simulator".</summary>
    string Name { get; }

    /// <summary>True when quotes are signed by a local test PKI, not Intel's: never trust them in production.</summary>
    bool IsSimulated { get; }

    Task<TeeQuote> GetQuoteAsync(ReadOnlyMemory<byte> reportData, CancellationToken ct);

    Task<TeeInfo> GetInfoAsync(CancellationToken ct);
}
