namespace Keystore.Attestation.Quotes;

/// <summary>The 48-byte quote header (Intel TDX DCAP Quote Generation Library spec, quote v4).</summary>
public sealed record QuoteHeader(
    ushort Version,
    ushort AttestationKeyType,
    uint TeeType,
    ushort QeSvn,
    ushort PceSvn,
    byte[] QeVendorId,
    byte[] UserData)
{
    public const int Size = 48;
    public const uint TeeTypeTdx = 0x81;
    public const ushort AttestationKeyEcdsaP256 = 2;

    internal static QuoteHeader Read(ref QuoteReader r) => new(
        r.U16("header.version"),
        r.U16("header.attestation_key_type"),
        r.U32("header.tee_type"),
        r.U16("header.qe_svn"),
        r.U16("header.pce_svn"),
        r.Bytes(16, "header.qe_vendor_id"),
        r.Bytes(20, "header.user_data"));
}
