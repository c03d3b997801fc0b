namespace Keystore.Attestation.Tee;

/// <summary>
/// The TD's identity as the guest agent reports it (dstack <c>Info</c>); measurements are lowercase hex.
/// <see cref="TcbInfoJson"/> keeps the agent's <c>tcb_info</c> string verbatim.
/// </summary>
public sealed record TeeInfo(
    string AppId,
    string InstanceId,
    string AppName,
    string DeviceId,
    string ComposeHash,
    string OsImageHash,
    string KeyProviderInfo,
    string Mrtd,
    string Rtmr0,
    string Rtmr1,
    string Rtmr2,
    string Rtmr3,
    string TcbInfoJson)
{
    /// <summary>The app-compose document whose sha256 is <see cref="ComposeHash"/> (dstack's <c>tcb_info.app_compose</c>); empty if unknown.</summary>
    public string AppCompose { get; init; } = "";
}
