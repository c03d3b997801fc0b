//! Certificate path validation against one pinned root, with CRL revocation checks at the
//! given time (the rules dcap-qvl gets from webpki: every non-root certificate in the path must
//! be covered by a valid CRL from its issuer, unknown status is refused, expired CRLs are
//! refused).

use crate::crl::Crl;
use crate::x509::Certificate;

const MAX_DEPTH: usize = 4;

fn check_time(cert: &Certificate, now: i64) -> Result<(), String> {
    if now < cert.not_before {
        return Err("chain: certificate not yet valid".into());
    }
    if now > cert.not_after {
        return Err("chain: certificate expired".into());
    }
    Ok(())
}

/// Checks `cert` against the CRL its issuer signed (found by issuer name and signature).
fn check_revocation(cert: &Certificate, issuer: &Certificate, crls: &[Crl], now: i64) -> Result<(), String> {
    let crl = crls
        .iter()
        .find(|c| c.issuer == cert.issuer && c.signed_by(&issuer.public_key))
        .ok_or("chain: no CRL from the certificate's issuer")?;
    if now < crl.this_update {
        return Err("chain: CRL not yet valid".into());
    }
    match crl.next_update {
        Some(next) if now <= next => {}
        _ => return Err("chain: CRL expired".into()),
    }
    if crl.revoked.iter().any(|s| *s == cert.serial) {
        return Err("chain: certificate revoked".into());
    }
    Ok(())
}

/// Validates `chain` (leaf first; any of the rest may be intermediates, a copy of the root is
/// ignored) up to `root`. Returns the parsed leaf.
pub fn verify_chain(chain_der: &[Vec<u8>], root: &Certificate, crls: &[Crl], now: i64) -> Result<Certificate, String> {
    let certs: Vec<Certificate> = chain_der.iter().map(|d| Certificate::parse(d)).collect::<Result<_, _>>()?;
    let leaf = certs.first().ok_or("chain: empty certificate chain")?.clone();
    check_time(root, now)?;
    // The root's own serial must not be listed by a CRL the root signed.
    for crl in crls.iter().filter(|c| c.issuer == root.subject && c.signed_by(&root.public_key)) {
        if crl.revoked.iter().any(|s| *s == root.serial) {
            return Err("chain: root certificate revoked".into());
        }
    }
    let mut current = leaf.clone();
    for _ in 0..MAX_DEPTH {
        check_time(&current, now)?;
        if current.issuer == root.subject && current.signed_by(&root.public_key) {
            if current.raw == root.raw {
                return Err("chain: leaf is the root".into());
            }
            check_revocation(&current, root, crls, now)?;
            return Ok(leaf);
        }
        let issuer = certs
            .iter()
            .find(|c| c.subject == current.issuer && c.raw != current.raw && c.raw != root.raw && current.signed_by(&c.public_key))
            .ok_or("chain: certificate not issued by a chain member or the pinned root")?
            .clone();
        if !issuer.is_ca {
            return Err("chain: issuer is not a CA".into());
        }
        check_revocation(&current, &issuer, crls, now)?;
        current = issuer;
    }
    Err("chain: path too long".into())
}
