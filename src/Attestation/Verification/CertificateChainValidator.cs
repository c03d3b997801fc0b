using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace Keystore.Attestation.Verification;

/// <summary>
/// Validates a PEM chain (leaf first) up to the pinned root: each signature by the next certificate,
/// validity windows at the verification time, leaf not a CA, and revocation against the CRL of the
/// certificate's own issuer, whose signature must verify under that issuer: the root CA CRL for
/// certificates the root issued, the PCK CRL for those the PCK platform/processor CA issued. Each CRL
/// is used by its role, never found by a search over both, so one issuer's CRL cannot cover another's.
/// </summary>
internal sealed class CertificateChainValidator(X509Certificate root, X509Crl rootCrl, X509Crl pckCrl)
{
    public static IReadOnlyList<X509Certificate> ParsePem(string pem, string check)
    {
        var blocks = System.Text.RegularExpressions.Regex.Matches(pem, "-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", System.Text.RegularExpressions.RegexOptions.Singleline);
        var certs = new List<X509Certificate>(blocks.Count);
        foreach (System.Text.RegularExpressions.Match m in blocks)
        {
            byte[] der;
            X509Certificate cert;
            try
            {
                der = Convert.FromBase64String(m.Groups[1].Value);
                cert = new X509CertificateParser().ReadCertificate(der);
            }
            catch (Exception e)
            {
                throw new QuoteVerificationException(check, "certificate chain PEM is malformed", e);
            }
            RequireCanonical(cert?.GetEncoded(), der, check);
            certs.Add(cert!);
        }
        return certs;
    }

    /// <summary>
    /// BouncyCastle verifies signatures over its own re-encoding of the signed part, so a non-DER
    /// (BER) variant of a certificate or CRL would verify although its bytes differ. Only the exact
    /// DER encoding is accepted.
    /// </summary>
    public static void RequireCanonical(byte[]? reencoded, byte[] original, string check)
    {
        if (reencoded is null || !reencoded.AsSpan().SequenceEqual(original))
            throw new QuoteVerificationException(check, "certificate or CRL is not in canonical DER");
    }

    /// <summary>Returns the leaf once the whole chain is proven to end at the trusted root.</summary>
    public X509Certificate Validate(IReadOnlyList<X509Certificate> chain, DateTime at, string check)
    {
        // The root may be included at the end of the chain; it is trusted only as the pinned copy.
        var certs = chain.Where(c => !c.Equals(root)).ToList();
        if (certs.Count < 1 || chain.Count < 2)
            throw new QuoteVerificationException(check, "certificate chain is too short");
        if (certs[0].GetBasicConstraints() != -1)
            throw new QuoteVerificationException(check, "leaf certificate is a CA");
        for (var i = 0; i < certs.Count; i++)
        {
            var cert = certs[i];
            var issuer = i + 1 < certs.Count ? certs[i + 1] : root;
            if (i > 0 && cert.GetBasicConstraints() == -1)
                throw new QuoteVerificationException(check, $"certificate {i} is not a CA but issues certificate {i - 1}");
            if (!cert.IssuerDN.Equivalent(issuer.SubjectDN))
                throw new QuoteVerificationException(check, $"certificate {i} issuer does not match the next certificate");
            try { cert.Verify(issuer.GetPublicKey()); }
            catch (Exception e) { throw new QuoteVerificationException(check, $"certificate {i} signature is invalid", e); }
            CheckWindow(cert, at, check, i);
            CheckRevocation(cert, issuer, at, check);
        }
        CheckWindow(root, at, check, certs.Count);
        return certs[0];
    }

    /// <summary>
    /// The common name of Intel's TCB signing certificate, the one key that signs TCB info and QE identity.
    /// Intel's QVL (<c>TCBSigningChain::verify</c>) requires the CN to contain "SGX TCB Signing"; dcap-qvl checks
    /// no name. The exact CN of Intel's certificate is pinned, and only the CN: O, L, ST and C are the same on
    /// every Intel DCAP certificate, PCK leaves included, so they would not tell the roles apart. The roles are
    /// told apart structurally as well: issued directly by the pinned root, not a CA, no SGX extension.
    /// </summary>
    public const string TcbSigningCommonName = "Intel SGX TCB Signing";

    /// <summary>
    /// Returns the signer of TCB info or QE identity once it is proven to be Intel's TCB signing certificate:
    /// a chain of the signer followed by the pinned root, the signer not a PCK certificate and
    /// not a CA, named <see cref="TcbSigningCommonName"/>, issued directly by the pinned root and not revoked
    /// by the root CA CRL. Any other certificate chaining to the root (a platform's PCK leaf, the PCK CA)
    /// could otherwise vouch for a platform's TCB. Role failures are reported as <paramref name="signerCheck"/>.
    /// </summary>
    public X509Certificate ValidateTcbSigner(IReadOnlyList<X509Certificate> chain, DateTime at, string check, string signerCheck)
    {
        if (chain.Count < 2)
            throw new QuoteVerificationException(check, "certificate chain is too short");
        var signer = chain[0];
        if (signer.GetExtensionValue(new DerObjectIdentifier(PckExtension.SgxExtensionOid)) is not null)
            throw new QuoteVerificationException(signerCheck, "signer is a PCK certificate (it carries the SGX extension), not Intel's TCB signing certificate");
        if (signer.GetBasicConstraints() != -1)
            throw new QuoteVerificationException(signerCheck, "signer is a CA certificate, not Intel's TCB signing certificate");
        var names = signer.SubjectDN.GetValueList(X509Name.CN);
        if (names.Count != 1 || names[0] != TcbSigningCommonName)
            throw new QuoteVerificationException(signerCheck, $"signer's subject CN is '{string.Join(", ", names)}', not '{TcbSigningCommonName}'");
        if (!signer.IssuerDN.Equivalent(root.SubjectDN))
            throw new QuoteVerificationException(check, "the TCB signing certificate is not issued directly by the pinned root CA");
        try { signer.Verify(root.GetPublicKey()); }
        catch (Exception e) { throw new QuoteVerificationException(check, "the TCB signing certificate's signature does not verify under the pinned root CA", e); }
        // As Intel's QVL: the chain is the signer and the root, and that root must be the pinned one.
        if (chain.Count != 2 || !chain[1].Equals(root))
            throw new QuoteVerificationException(check, "a TCB signing chain is the signer followed by the pinned root CA");
        CheckWindow(signer, at, check, 0);
        CheckWindow(root, at, check, 1);
        CheckRevocation(signer, root, at, check);
        return signer;
    }

    public void CheckRootNotRevoked(string check)
    {
        if (rootCrl.IssuerDN.Equivalent(root.SubjectDN) && rootCrl.GetRevokedCertificate(root.SerialNumber) is not null)
            throw new QuoteVerificationException(check, "root CA is revoked");
    }

    private static void CheckWindow(X509Certificate cert, DateTime at, string check, int index)
    {
        if (at < cert.NotBefore || at > cert.NotAfter)
            throw new QuoteVerificationException(check, $"certificate {index} is not valid at {at:O}");
    }

    /// <summary>
    /// A certificate the root issued is checked against the root CA CRL, any other against the PCK CRL; that
    /// CRL must come from the certificate's issuer (name and signature), else the certificate's revocation
    /// status is unknown and it is refused.
    /// </summary>
    private void CheckRevocation(X509Certificate cert, X509Certificate issuer, DateTime at, string check)
    {
        var (crl, role) = issuer.Equals(root) ? (rootCrl, "root CA CRL") : (pckCrl, "PCK CRL");
        if (!crl.IssuerDN.Equivalent(issuer.SubjectDN))
            throw new QuoteVerificationException(check, $"no CRL from '{issuer.SubjectDN}' in the collateral (the {role} is issued by '{crl.IssuerDN}')");
        try { crl.Verify(issuer.GetPublicKey()); }
        catch (Exception e) { throw new QuoteVerificationException(check, $"{role} signature is invalid", e); }
        if (crl.NextUpdate is { } next && at > next)
            throw new QuoteVerificationException(check, "CRL has expired");
        if (at < crl.ThisUpdate)
            throw new QuoteVerificationException(check, "CRL is not yet valid");
        if (crl.GetRevokedCertificate(cert.SerialNumber) is not null)
            throw new QuoteVerificationException(check, "certificate is revoked");
    }
}
