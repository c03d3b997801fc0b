using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.X509;

namespace Keystore.Attestation.Verification;

/// <summary>
/// The Intel SGX extension (OID 1.2.840.113741.1.13.1) of a PCK leaf certificate: PPID, TCB
/// (CPU SVN components + PCE SVN), PCE ID and FMSPC, which tie the quoting platform to a TCB info.
/// </summary>
public sealed record PckExtension(byte[] Ppid, byte[] CpuSvn, ushort PceSvn, byte[] PceId, byte[] Fmspc)
{
    public const string SgxExtensionOid = "1.2.840.113741.1.13.1";

    public static PckExtension FromCertificate(X509Certificate cert)
    {
        const string check = "pck.extension";
        var ext = cert.GetExtensionValue(new DerObjectIdentifier(SgxExtensionOid))
            ?? throw new QuoteVerificationException(check, "PCK leaf has no SGX extension");
        try
        {
            var seq = (Asn1Sequence)Asn1Object.FromByteArray(ext.GetOctets());
            var items = Items(seq);
            var tcb = Items((Asn1Sequence)items[SgxExtensionOid + ".2"]);
            var cpuSvn = new byte[16];
            for (var i = 0; i < 16; i++)
                cpuSvn[i] = (byte)((DerInteger)tcb[$"{SgxExtensionOid}.2.{i + 1}"]).IntValueExact;
            var pceSvn = (ushort)((DerInteger)tcb[SgxExtensionOid + ".2.17"]).IntValueExact;
            return new PckExtension(
                ((Asn1OctetString)items[SgxExtensionOid + ".1"]).GetOctets(),
                cpuSvn, pceSvn,
                ((Asn1OctetString)items[SgxExtensionOid + ".3"]).GetOctets(),
                ((Asn1OctetString)items[SgxExtensionOid + ".4"]).GetOctets());
        }
        catch (Exception e) when (e is not QuoteVerificationException)
        {
            throw new QuoteVerificationException(check, "SGX extension is malformed", e);
        }
    }

    private static Dictionary<string, Asn1Encodable> Items(Asn1Sequence seq)
    {
        var d = new Dictionary<string, Asn1Encodable>();
        foreach (var e in seq)
        {
            var pair = (Asn1Sequence)e;
            d[((DerObjectIdentifier)pair[0]).Id] = pair[1];
        }
        return d;
    }
}
