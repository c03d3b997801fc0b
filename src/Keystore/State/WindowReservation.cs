namespace Keystore.State;

/// <summary>
/// The outcome of <see cref="ISpendingWindows.ReserveAsync"/>. Reserved: <see cref="Id"/> names the held amounts, to be
/// committed once the signature exists or released when it does not. Refused: <see cref="Exceeded"/> is the first window
/// the request would overflow, and nothing was held.
/// </summary>
public sealed record WindowReservation(string Account, byte[]? Id, IReadOnlyList<WindowTotal> Totals, WindowTotal? Exceeded)
{
    public bool Reserved => Exceeded is null;

    /// <summary>What the reservation's row holds, as sealed by this instance: its commit re-seals it without reading it back.</summary>
    internal ReservationPayload? Payload { get; init; }

    /// <summary>The row's tag as inserted (see <see cref="KnownWindows"/>).</summary>
    internal long Tag { get; init; }

    /// <summary>The account whose memory holds it (<see cref="SingleWriterSpendingWindows"/> only).</summary>
    internal SingleWriterSpendingWindows.AccountWindows? Holder { get; init; }
}
