namespace Keystore.Approvals;

/// <summary>
/// One pass of <see cref="ApprovalService.SweepAsync"/>: requests found due, how many this pass expired and took over
/// (another instance may have got to the rest first), and rows that did not open (tampered or sealed under another secret).
/// </summary>
public sealed record ApprovalSweep(int Due, int Expired, int TakenOver, int Unreadable);
