namespace Keystore.Attestation.Verification;

/// <summary>The Intel SGX Root CA certificate, embedded in the assembly so the trust anchor cannot be swapped on disk.</summary>
public static class IntelRootCa
{
    private static readonly Lazy<byte[]> Lazy = new(() =>
    {
        using var s = typeof(IntelRootCa).Assembly.GetManifestResourceStream("Keystore.Attestation.intel_sgx_root_ca.der")
            ?? throw new InvalidOperationException("embedded Intel root CA is missing");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    });

    public static byte[] Der => (byte[])Lazy.Value.Clone();
}
