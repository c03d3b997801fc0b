namespace Keystore.Attestation.Quotes;

/// <summary>The 384-byte SGX enclave report of the Quoting Enclave (QE report) inside the certification data.</summary>
public sealed record EnclaveReport(
    byte[] CpuSvn,
    uint MiscSelect,
    byte[] Attributes,
    byte[] MrEnclave,
    byte[] MrSigner,
    ushort IsvProdId,
    ushort IsvSvn,
    byte[] ReportData,
    byte[] Raw)
{
    public const int Size = 384;

    internal static EnclaveReport Read(ref QuoteReader r)
    {
        var raw = r.Bytes(Size, "qe_report");
        var q = new QuoteReader(raw);
        var cpuSvn = q.Bytes(16, "qe_report.cpu_svn");
        var misc = q.U32("qe_report.misc_select");
        q.Take(28, "qe_report.reserved1");
        var attributes = q.Bytes(16, "qe_report.attributes");
        var mrEnclave = q.Bytes(32, "qe_report.mr_enclave");
        q.Take(32, "qe_report.reserved2");
        var mrSigner = q.Bytes(32, "qe_report.mr_signer");
        q.Take(96, "qe_report.reserved3");
        var prodId = q.U16("qe_report.isv_prod_id");
        var isvSvn = q.U16("qe_report.isv_svn");
        q.Take(60, "qe_report.reserved4");
        var reportData = q.Bytes(64, "qe_report.report_data");
        return new EnclaveReport(cpuSvn, misc, attributes, mrEnclave, mrSigner, prodId, isvSvn, reportData, raw);
    }
}
