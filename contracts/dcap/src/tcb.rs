//! Intel TCB Info (TDX, v3) JSON and the platform level matching rules (the shape of
//! dcap-qvl's `match_platform_tcb` and `match_tdx_module_identity`): the first level, in descending order, whose every component
//! is ≤ the platform's decides the status; statuses merge by severity.

use serde::Deserialize;

#[derive(Deserialize, Clone, Debug)]
pub struct Component {
    pub svn: u8,
}

#[derive(Deserialize, Clone, Debug)]
pub struct Tcb {
    pub sgxtcbcomponents: Vec<Component>,
    pub pcesvn: u16,
    #[serde(default)]
    pub tdxtcbcomponents: Vec<Component>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct TcbLevel {
    pub tcb: Tcb,
    pub tcb_status: String,
    #[serde(rename = "advisoryIDs", default)]
    pub advisory_ids: Vec<String>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct TdxModule {
    pub mrsigner: String,
    pub attributes: String,
    pub attributes_mask: String,
}

#[derive(Deserialize, Clone, Debug)]
pub struct IsvSvn {
    pub isvsvn: u16,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ModuleTcbLevel {
    pub tcb: IsvSvn,
    pub tcb_status: String,
    #[serde(rename = "advisoryIDs", default)]
    pub advisory_ids: Vec<String>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct TdxModuleIdentity {
    pub id: String,
    pub mrsigner: String,
    pub attributes: String,
    pub attributes_mask: String,
    pub tcb_levels: Vec<ModuleTcbLevel>,
}

#[derive(Deserialize, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct TcbInfo {
    pub id: String,
    pub version: u32,
    pub issue_date: String,
    pub next_update: String,
    pub fmspc: String,
    pub pce_id: String,
    /// Raised by Intel at every TCB recovery; lets a verifier refuse superseded TCB info.
    pub tcb_evaluation_data_number: u32,
    pub tdx_module: Option<TdxModule>,
    #[serde(default)]
    pub tdx_module_identities: Vec<TdxModuleIdentity>,
    pub tcb_levels: Vec<TcbLevel>,
}

/// A TCB status with the advisories that explain it.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub status: String,
    pub advisory_ids: Vec<String>,
}

/// Intel's ordering of statuses from best to worst; unknown strings are refused.
pub fn severity(status: &str) -> Result<u8, String> {
    Ok(match status {
        "UpToDate" => 0,
        "SWHardeningNeeded" => 1,
        "ConfigurationNeeded" => 2,
        "ConfigurationAndSWHardeningNeeded" => 3,
        "OutOfDate" => 4,
        "OutOfDateConfigurationNeeded" => 5,
        "Revoked" => 6,
        _ => return Err(format!("tcb: unknown status {}", status)),
    })
}

impl Status {
    pub fn new(status: &str, advisory_ids: &[String]) -> Result<Status, String> {
        severity(status)?;
        Ok(Status { status: status.to_string(), advisory_ids: advisory_ids.to_vec() })
    }

    /// Converges this platform status with a component's (the TDX module's, the QE's) as Intel's QVL
    /// does (convergeTcbStatusWithTdxModuleStatus / convergeTcbStatusWithQeTcbStatus): an OutOfDate
    /// component on a platform that needs configuration is OutOfDateConfigurationNeeded, which
    /// taking the worse of the two would lose; any other pair keeps the worse. Advisories are united.
    pub fn merge(mut self, other: &Status) -> Status {
        let needs_configuration = matches!(self.status.as_str(), "ConfigurationNeeded" | "ConfigurationAndSWHardeningNeeded");
        if needs_configuration && other.status == "OutOfDate" {
            self.status = "OutOfDateConfigurationNeeded".to_string();
        } else if severity(&other.status).unwrap_or(6) > severity(&self.status).unwrap_or(6) {
            self.status = other.status.clone();
        }
        for a in &other.advisory_ids {
            if !self.advisory_ids.contains(a) {
                self.advisory_ids.push(a.clone());
            }
        }
        self
    }
}

pub fn hex_exact<const N: usize>(s: &str, what: &str) -> Result<[u8; N], String> {
    let v = hex::decode(s).map_err(|_| format!("tcb: {} is not hex", what))?;
    if v.len() != N {
        return Err(format!("tcb: {} must be {} bytes", what, N));
    }
    let mut a = [0u8; N];
    a.copy_from_slice(&v);
    Ok(a)
}

fn svns(c: &[Component]) -> Vec<u8> {
    c.iter().map(|x| x.svn).collect()
}

/// Matches the platform (PCK cert CPUSVN/PCESVN/FMSPC/PCE-ID, quote TEE TCB SVN and SEAM
/// identity) against a TDX TCB Info.
pub fn match_platform(
    info: &TcbInfo,
    cpu_svn: &[u8; 16],
    pce_svn: u16,
    fmspc: &[u8; 6],
    pce_id: &[u8],
    report: &crate::quote::TdReport,
) -> Result<Status, String> {
    if info.id != "TDX" || info.version < 3 {
        return Err("tcb: TDX quote needs TDX TCB info v3".into());
    }
    if hex::decode(&info.fmspc).map_err(|_| "tcb: bad fmspc")? != fmspc {
        return Err("tcb: FMSPC mismatch".into());
    }
    if hex::decode(&info.pce_id).map_err(|_| "tcb: bad pceId")? != pce_id {
        return Err("tcb: PCE-ID mismatch".into());
    }
    // Descending order, as Intel publishes it and dcap-qvl canonicalizes it.
    let mut levels = info.tcb_levels.clone();
    levels.sort_by(|a, b| {
        svns(&b.tcb.sgxtcbcomponents)
            .cmp(&svns(&a.tcb.sgxtcbcomponents))
            .then_with(|| b.tcb.pcesvn.cmp(&a.tcb.pcesvn))
            .then_with(|| svns(&b.tcb.tdxtcbcomponents).cmp(&svns(&a.tcb.tdxtcbcomponents)))
    });
    for level in &levels {
        if pce_svn < level.tcb.pcesvn {
            continue;
        }
        let sgx = svns(&level.tcb.sgxtcbcomponents);
        if sgx.len() != 16 {
            return Err("tcb: SGX component count must be 16".into());
        }
        if cpu_svn.iter().zip(&sgx).any(|(a, b)| a < b) {
            continue;
        }
        let tdx = svns(&level.tcb.tdxtcbcomponents);
        if tdx.len() != 16 {
            return Err("tcb: TDX component count must be 16".into());
        }
        if report.tee_tcb_svn.iter().zip(&tdx).any(|(a, b)| a < b) {
            continue;
        }
        let status = Status::new(&level.tcb_status, &level.advisory_ids)?;
        return match match_tdx_module(info, report)? {
            Some(module) => Ok(status.merge(&module)),
            None => Ok(status),
        };
    }
    Err("tcb: no matching TCB level".into())
}

/// Checks the SEAM module's signer and attributes against the TCB Info; for module versions
/// with a `TDX_xx` identity, also returns that identity's TCB level status.
fn match_tdx_module(info: &TcbInfo, report: &crate::quote::TdReport) -> Result<Option<Status>, String> {
    let base = info.tdx_module.as_ref().ok_or("tcb: TDX TCB info lacks tdxModule")?;
    let module_isvsvn = report.tee_tcb_svn[0] as u16;
    let module_version = report.tee_tcb_svn[1];
    let mut mrsigner = hex_exact::<48>(&base.mrsigner, "tdxModule.mrsigner")?;
    let mut attrs = hex_exact::<8>(&base.attributes, "tdxModule.attributes")?;
    let mut mask = hex_exact::<8>(&base.attributes_mask, "tdxModule.attributesMask")?;
    let mut levels: Option<&Vec<ModuleTcbLevel>> = None;
    if module_version > 0 && !info.tdx_module_identities.is_empty() {
        let wanted = format!("TDX_{:02X}", module_version);
        let id = info
            .tdx_module_identities
            .iter()
            .find(|i| i.id.eq_ignore_ascii_case(&wanted))
            .ok_or_else(|| format!("tcb: no TDX module identity {}", wanted))?;
        mrsigner = hex_exact::<48>(&id.mrsigner, "tdxModuleIdentity.mrsigner")?;
        attrs = hex_exact::<8>(&id.attributes, "tdxModuleIdentity.attributes")?;
        mask = hex_exact::<8>(&id.attributes_mask, "tdxModuleIdentity.attributesMask")?;
        levels = Some(&id.tcb_levels);
    }
    if report.mr_signer_seam[..] != mrsigner[..] {
        return Err("tcb: TDX module MRSIGNER mismatch".into());
    }
    for i in 0..8 {
        let actual = report.seam_attributes[i];
        if actual & mask[i] != attrs[i] & mask[i] || actual & !mask[i] != 0 {
            return Err("tcb: TDX module SEAM attributes mismatch".into());
        }
    }
    match levels {
        Some(levels) => {
            let l = levels
                .iter()
                .find(|l| module_isvsvn >= l.tcb.isvsvn)
                .ok_or("tcb: TDX module ISVSVN below every TCB level")?;
            Ok(Some(Status::new(&l.tcb_status, &l.advisory_ids)?))
        }
        None => Ok(None),
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (TcbInfo, crate::x509::SgxExtension, crate::quote::TdReport) {
        let c: crate::Collateral = serde_json::from_str(include_str!("../tests/vectors/dcap_qvl_tdx_quote_collateral.json")).unwrap();
        let q = crate::quote::Quote::parse(include_bytes!("../tests/vectors/dcap_qvl_tdx_quote.bin")).unwrap();
        let chain = crate::x509::pem_certificates(&q.pck_chain_pem).unwrap();
        let leaf = crate::x509::Certificate::parse(&chain[0]).unwrap();
        (serde_json::from_str(&c.tcb_info).unwrap(), crate::x509::sgx_extension(&leaf).unwrap(), q.report)
    }

    #[test]
    fn sample_platform_is_up_to_date() {
        let (info, ext, report) = sample();
        let s = match_platform(&info, &ext.cpu_svn, ext.pce_svn, &ext.fmspc, &ext.pce_id, &report).unwrap();
        assert_eq!(s.status, "UpToDate");
    }

    #[test]
    fn lower_svns_fall_to_older_levels_or_none() {
        let (info, ext, report) = sample();
        let mut old = report.clone();
        old.tee_tcb_svn[2] = 0;
        let s = match_platform(&info, &ext.cpu_svn, ext.pce_svn, &ext.fmspc, &ext.pce_id, &old);
        assert!(s.map(|s| s.status != "UpToDate").unwrap_or(true));
        assert_eq!(
            match_platform(&info, &[0u8; 16], 0, &ext.fmspc, &ext.pce_id, &report).unwrap_err(),
            "tcb: no matching TCB level"
        );
        assert_eq!(
            match_platform(&info, &ext.cpu_svn, ext.pce_svn, &[1u8; 6], &ext.pce_id, &report).unwrap_err(),
            "tcb: FMSPC mismatch"
        );
        let mut seam = report;
        seam.mr_signer_seam[0] ^= 1;
        assert!(match_platform(&info, &ext.cpu_svn, ext.pce_svn, &ext.fmspc, &ext.pce_id, &seam).is_err());
    }

    #[test]
    fn statuses_merge_to_the_worse() {
        let a = Status::new("UpToDate", &[]).unwrap();
        let b = Status::new("OutOfDate", &["INTEL-SA-1".to_string()]).unwrap();
        let m = a.merge(&b);
        assert_eq!(m.status, "OutOfDate");
        assert_eq!(m.advisory_ids, vec!["INTEL-SA-1".to_string()]);
        assert!(Status::new("Fine", &[]).is_err());
    }

    #[test]
    fn an_out_of_date_component_on_a_platform_needing_configuration_converges_as_intel_does() {
        let out_of_date = Status::new("OutOfDate", &[]).unwrap();
        for platform in ["ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded"] {
            let m = Status::new(platform, &[]).unwrap().merge(&out_of_date);
            assert_eq!(m.status, "OutOfDateConfigurationNeeded", "{}", platform);
        }
        let revoked = Status::new("Revoked", &[]).unwrap();
        assert_eq!(Status::new("ConfigurationNeeded", &[]).unwrap().merge(&revoked).status, "Revoked");
        assert_eq!(Status::new("SWHardeningNeeded", &[]).unwrap().merge(&out_of_date).status, "OutOfDate");
    }
}
