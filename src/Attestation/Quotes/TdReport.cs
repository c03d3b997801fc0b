namespace Keystore.Attestation.Quotes;

/// <summary>The TD 1.0 report body (584 bytes) a TDX quote v4 carries after its header.</summary>
public sealed record TdReport(
    byte[] TeeTcbSvn,
    byte[] MrSeam,
    byte[] MrSignerSeam,
    byte[] SeamAttributes,
    byte[] TdAttributes,
    byte[] Xfam,
    byte[] MrTd,
    byte[] MrConfigId,
    byte[] MrOwner,
    byte[] MrOwnerConfig,
    byte[] Rtmr0,
    byte[] Rtmr1,
    byte[] Rtmr2,
    byte[] Rtmr3,
    byte[] ReportData)
{
    public const int Size = 584;

    /// <summary>TUD.DEBUG is bit 0 of TD attributes: a debuggable TD's memory is readable by the host.</summary>
    public bool IsDebug => (TdAttributes[0] & 0x01) != 0;

    internal static TdReport Read(ref QuoteReader r) => new(
        r.Bytes(16, "td_report.tee_tcb_svn"),
        r.Bytes(48, "td_report.mr_seam"),
        r.Bytes(48, "td_report.mr_signer_seam"),
        r.Bytes(8, "td_report.seam_attributes"),
        r.Bytes(8, "td_report.td_attributes"),
        r.Bytes(8, "td_report.xfam"),
        r.Bytes(48, "td_report.mr_td"),
        r.Bytes(48, "td_report.mr_config_id"),
        r.Bytes(48, "td_report.mr_owner"),
        r.Bytes(48, "td_report.mr_owner_config"),
        r.Bytes(48, "td_report.rtmr0"),
        r.Bytes(48, "td_report.rtmr1"),
        r.Bytes(48, "td_report.rtmr2"),
        r.Bytes(48, "td_report.rtmr3"),
        r.Bytes(64, "td_report.report_data"));
}
