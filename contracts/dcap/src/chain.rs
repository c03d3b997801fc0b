//! Certificate path validation against one pinned root, with CRL revocation checks at the
//! given time (the rules dcap-qvl gets from webpki: every non-root certificate in the path must
//! be covered by a valid CRL from its issuer, unknown status is refused, expired CRLs are
//! refused), and the stricter shape Intel's QVL requires of the TCB signing certificate.

use crate::crl::Crl;
use crate::x509::{Certificate, OID_SGX_EXTENSION};

const MAX_DEPTH: usize = 4;

/// The subject commonName of Intel's TCB signing certificate, the one key that signs TCB info
/// and QE identity. Intel's QVL (`TCBSigningChain::verify`) requires the CN to contain
/// "SGX TCB Signing"; dcap-qvl checks no name at all. The exact CN of Intel's certificate is
/// pinned here, and only the CN: O, L, ST and C are the same on every Intel DCAP certificate
/// (PCK leaves included), so they would not tell the roles apart. What does tell them apart is
/// checked structurally as well: issued directly by the pinned root, not a CA, no SGX extension.
pub const TCB_SIGNING_COMMON_NAME: &str = "Intel SGX TCB Signing";

/// The two CRLs of the collateral, each for the certificates its own issuer issued: `root` (the
/// root CA CRL) for those the pinned root issued (PCK platform/processor CA, TCB signing
/// certificate), `pck` (the PCK CRL) for those the PCK CA issued (PCK leaves). A CRL is used by
/// its slot and must be issued and signed by that certificate's issuer, so a CRL of another
/// issuer can never stand in for the right one.
pub struct Crls {
    pub root: Crl,
    pub pck: Crl,
}

fn check_time(cert: &Certificate, now: i64) -> Result<(), String> {
    if now < cert.not_before {
        return Err("chain: certificate not yet valid".into());
    }
    if now > cert.not_after {
        return Err("chain: certificate expired".into());
    }
    Ok(())
}

/// Checks `cert` against `crl`, which must be issued and signed by `cert`'s issuer.
fn check_revocation(cert: &Certificate, issuer: &Certificate, crl: &Crl, which: &str, now: i64) -> Result<(), String> {
    if crl.issuer != issuer.subject || cert.issuer != issuer.subject || !crl.signed_by(&issuer.public_key) {
        return Err(format!("chain: no CRL from the certificate's issuer (the {} is not issued by it)", which));
    }
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

/// The root must be within its validity and its own serial must not be listed by its CRL.
fn check_root(root: &Certificate, root_crl: &Crl, now: i64) -> Result<(), String> {
    check_time(root, now)?;
    if root_crl.issuer == root.subject && root_crl.signed_by(&root.public_key) && root_crl.revoked.iter().any(|s| *s == root.serial) {
        return Err("chain: root certificate revoked".into());
    }
    Ok(())
}

/// Validates `chain` (leaf first; any of the rest may be intermediates, a copy of the root is
/// ignored) up to `root`. Returns the parsed leaf.
pub fn verify_chain(chain_der: &[Vec<u8>], root: &Certificate, crls: &Crls, now: i64) -> Result<Certificate, String> {
    let certs: Vec<Certificate> = chain_der.iter().map(|d| Certificate::parse(d)).collect::<Result<_, _>>()?;
    let leaf = certs.first().ok_or("chain: empty certificate chain")?.clone();
    check_root(root, &crls.root, now)?;
    let mut current = leaf.clone();
    for _ in 0..MAX_DEPTH {
        check_time(&current, now)?;
        if current.issuer == root.subject && current.signed_by(&root.public_key) {
            if current.raw == root.raw {
                return Err("chain: leaf is the root".into());
            }
            check_revocation(&current, root, &crls.root, "root CA CRL", now)?;
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
        check_revocation(&current, &issuer, &crls.pck, "PCK CRL", now)?;
        current = issuer;
    }
    Err("chain: path too long".into())
}

/// Validates the issuer chain of TCB info or QE identity (the signer followed by the pinned
/// root) and returns the signer, which must be Intel's TCB signing certificate:
/// not a PCK certificate, not a CA, CN [`TCB_SIGNING_COMMON_NAME`], issued directly by the
/// pinned root and not revoked by the root CA CRL. Any other certificate that chains to the
/// root (a platform's PCK leaf, the PCK CA) could otherwise vouch for a platform's TCB.
pub fn verify_tcb_signer(chain_der: &[Vec<u8>], root: &Certificate, root_crl: &Crl, now: i64) -> Result<Certificate, String> {
    let certs: Vec<Certificate> = chain_der.iter().map(|d| Certificate::parse(d)).collect::<Result<_, _>>()?;
    let signer = certs.first().ok_or("chain: empty certificate chain")?.clone();
    if signer.extension(OID_SGX_EXTENSION).is_some() {
        return Err("signer is a PCK certificate (it carries the SGX extension), not Intel's TCB signing certificate".into());
    }
    if signer.is_ca {
        return Err("signer is a CA certificate, not Intel's TCB signing certificate".into());
    }
    let cn = signer.subject_common_name()?;
    if cn != TCB_SIGNING_COMMON_NAME {
        return Err(format!("signer's subject CN is {:?}, not {:?}", cn, TCB_SIGNING_COMMON_NAME));
    }
    if signer.issuer != root.subject || !signer.signed_by(&root.public_key) {
        return Err("chain: the TCB signing certificate is not issued directly by the pinned root CA".into());
    }
    // As Intel's QVL: the chain is the signer and the root, and that root must be the pinned one.
    if certs.len() != 2 || certs[1].raw != root.raw {
        return Err("chain: a TCB signing chain is the signer followed by the pinned root CA".into());
    }
    check_root(root, root_crl, now)?;
    check_time(&signer, now)?;
    check_revocation(&signer, root, root_crl, "root CA CRL", now)?;
    Ok(signer)
}
