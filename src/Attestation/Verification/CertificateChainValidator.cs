using Org.BouncyCastle.X509;

namespace Keystore.Attestation.Verification;

/// <summary>
/// Validates a PEM chain (leaf first) up to the pinned root: each signature by the next certificate,
/// validity windows at the verification time, leaf not a CA, and revocation against CRLs whose own
/// signature verifies under the certificate's issuer.
/// </summary>
internal sealed class CertificateChainValidator(X509Certificate root, IReadOnlyList<X509Crl> crls)
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

    public void CheckRootNotRevoked(string check)
    {
        foreach (var crl in crls)
            if (crl.IssuerDN.Equivalent(root.SubjectDN) && crl.GetRevokedCertificate(root.SerialNumber) is not null)
                throw new QuoteVerificationException(check, "root CA is revoked");
    }

    private static void CheckWindow(X509Certificate cert, DateTime at, string check, int index)
    {
        if (at < cert.NotBefore || at > cert.NotAfter)
            throw new QuoteVerificationException(check, $"certificate {index} is not valid at {at:O}");
    }

    /// <summary>
    /// Every certificate must be covered by a CRL from its issuer (root CA CRL or PCK CRL): a chain whose
    /// issuer has no CRL in the collateral cannot be checked for revocation, so it is refused.
    /// </summary>
    private void CheckRevocation(X509Certificate cert, X509Certificate issuer, DateTime at, string check)
    {
        var covered = false;
        foreach (var crl in crls)
        {
            if (!crl.IssuerDN.Equivalent(issuer.SubjectDN)) continue;
            try { crl.Verify(issuer.GetPublicKey()); }
            catch (Exception e) { throw new QuoteVerificationException(check, "CRL signature is invalid", e); }
            if (crl.NextUpdate is { } next && at > next)
                throw new QuoteVerificationException(check, "CRL has expired");
            if (at < crl.ThisUpdate)
                throw new QuoteVerificationException(check, "CRL is not yet valid");
            if (crl.GetRevokedCertificate(cert.SerialNumber) is not null)
                throw new QuoteVerificationException(check, "certificate is revoked");
            covered = true;
        }
        if (!covered)
            throw new QuoteVerificationException(check, $"no CRL from '{issuer.SubjectDN}' in the collateral");
    }
}
