//! Council governance: members propose, members vote, a proposal executes in the call that
//! brings its votes (from current members) to the threshold. The proposer's call counts as
//! its first vote. Open proposals expire `proposal_ttl_seconds` after creation.

use crate::state::*;
use near_host::*;

/// Proposals are stored on the DAO's balance whether or not they pass, so each has a bounded size:
/// one member below the threshold must not lock the DAO's funds in storage with a few large ones.
pub const MAX_COUNCIL_SIZE: usize = 100;

pub fn validate_council(council: &[String], threshold: u32) -> Result<(), String> {
    if council.is_empty() {
        return Err("council must not be empty".into());
    }
    if council.len() > MAX_COUNCIL_SIZE {
        return Err(format!("a council has at most {} members", MAX_COUNCIL_SIZE));
    }
    for (i, m) in council.iter().enumerate() {
        if !is_valid_account_id(m) {
            return Err(format!("invalid council member {}", m));
        }
        if council[..i].contains(m) {
            return Err(format!("duplicate council member {}", m));
        }
    }
    if threshold == 0 || threshold as usize > council.len() {
        return Err("threshold must be between 1 and the council size".into());
    }
    Ok(())
}

/// Shorter than this, a worker between boot and its first request could be pruned.
pub const MIN_WORKER_TTL_SECONDS: u64 = 3600;

pub fn validate_worker_ttl(seconds: u64) -> Result<(), String> {
    if seconds < MIN_WORKER_TTL_SECONDS {
        return Err(format!("worker_ttl_seconds must be at least {}", MIN_WORKER_TTL_SECONDS));
    }
    Ok(())
}

pub fn validate_statuses(statuses: &[String]) -> Result<(), String> {
    if statuses.is_empty() {
        return Err("accepted TCB statuses must not be empty".into());
    }
    for (i, s) in statuses.iter().enumerate() {
        if s == "Revoked" {
            return Err("Revoked can never be accepted".into());
        }
        dcap::tcb::severity(s)?;
        // Each name once: the list is then bounded by the few statuses Intel defines.
        if statuses[..i].contains(s) {
            return Err(format!("accepted TCB status {} is named twice", s));
        }
    }
    Ok(())
}

/// Intel advisory ids look like `INTEL-SA-00837`.
pub fn validate_advisory_ids(ids: &[String]) -> Result<(), String> {
    if ids.len() > 64 {
        return Err("at most 64 advisory ids".into());
    }
    for (i, id) in ids.iter().enumerate() {
        let ok = id.len() <= 32 && id.starts_with("INTEL-SA-") && id.len() > 9 && id[9..].bytes().all(|b| b.is_ascii_digit());
        if !ok {
            return Err(format!("invalid advisory id {:?} (expected INTEL-SA-<digits>)", id));
        }
        if ids[..i].contains(id) {
            return Err(format!("advisory id {} is named twice", id));
        }
    }
    Ok(())
}

/// At most a year: a grace period is for rolling out patched hosts, not for keeping them unpatched.
pub const MAX_TCB_GRACE_SECONDS: u64 = 365 * 24 * 3600;

pub fn validate_grace(seconds: u64) -> Result<(), String> {
    if seconds > MAX_TCB_GRACE_SECONDS {
        return Err(format!("grace_seconds must be at most {}", MAX_TCB_GRACE_SECONDS));
    }
    Ok(())
}

fn validate_action(cfg: &Config, action: &ProposalKind) -> Result<(), String> {
    match action {
        ProposalKind::AddOsMeasurement(m) => {
            m.validate()?;
            if os_measurements().contains(m) {
                return Err("OS measurements already approved".into());
            }
            // A revoked set stays revoked: its old workers must never come back to life.
            if revoked_sets().iter().any(|r| r.os_measurement.as_ref() == Some(m)) {
                return Err("OS measurements were revoked and cannot be approved again".into());
            }
            Ok(())
        }
        ProposalKind::RemoveOsMeasurement(m) => {
            m.validate()?;
            if !os_measurements().contains(m) {
                return Err("OS measurements are not approved".into());
            }
            Ok(())
        }
        ProposalKind::AddComposeHash { compose_hash } => {
            validate_compose_hash(compose_hash)?;
            if compose_hashes().contains(compose_hash) {
                return Err("compose hash already approved".into());
            }
            if revoked_sets().iter().any(|r| r.compose_hash.as_ref() == Some(compose_hash)) {
                return Err("compose hash was revoked and cannot be approved again".into());
            }
            Ok(())
        }
        ProposalKind::RemoveComposeHash { compose_hash } => {
            validate_compose_hash(compose_hash)?;
            if !compose_hashes().contains(compose_hash) {
                return Err("compose hash is not approved".into());
            }
            Ok(())
        }
        ProposalKind::SetCouncil { council, threshold } => {
            validate_council(council, threshold.unwrap_or(cfg.threshold))
        }
        ProposalKind::SetThreshold { threshold } => validate_council(&cfg.council, *threshold),
        ProposalKind::SetWorkerTtl { worker_ttl_seconds } => validate_worker_ttl(*worker_ttl_seconds),
        ProposalKind::SetChainKeysContract { chain_keys_contract_id } => {
            if is_valid_account_id(chain_keys_contract_id) {
                Ok(())
            } else {
                Err("invalid chain_keys_contract_id".into())
            }
        }
        ProposalKind::SetAcceptedTcbStatuses { statuses, advisory_ids, grace_seconds } => {
            validate_statuses(statuses)?;
            validate_advisory_ids(advisory_ids)?;
            validate_grace(*grace_seconds)
        }
        ProposalKind::SetMinTcbEvaluationDataNumber { .. } => Ok(()),
    }
}

fn require_member(cfg: &Config) -> String {
    let who = predecessor_account_id();
    require(cfg.council.contains(&who), "only council members may do this");
    who
}

/// Open proposals a member may have at once. Every proposal is stored on the DAO's balance, so with
/// bounded sizes this bounds what one member below the threshold can make the DAO stake (an executed
/// or expired proposal frees its place).
pub const MAX_OPEN_PROPOSALS_PER_MEMBER: usize = 10;

fn open_proposals_key(member: &str) -> Vec<u8> {
    format!("po:{}", member).into_bytes()
}

/// Records proposal `id` as one of `member`'s open proposals, refusing it past the cap. Reads at most
/// the cap's worth of proposals: the list keeps only those still open and unexpired.
fn take_proposal_place(member: &str, id: u64, now: u64) {
    let ids: Vec<u64> = storage_get_json(&open_proposals_key(member)).unwrap_or_default();
    let mut open: Vec<u64> = ids
        .into_iter()
        .filter(|i| load_proposal(*i).map_or(false, |p| p.status == "open" && now <= p.expires_at_ns))
        .collect();
    if open.len() >= MAX_OPEN_PROPOSALS_PER_MEMBER {
        panic_str(&format!("a council member may have at most {} open proposals", MAX_OPEN_PROPOSALS_PER_MEMBER));
    }
    open.push(id);
    storage_set_json(&open_proposals_key(member), &open);
}

pub fn propose() {
    let cfg = config();
    let who = require_member(&cfg);
    let action: ProposalKind = input_json();
    if let Err(e) = validate_action(&cfg, &action) {
        panic_str(&e);
    }
    let id: u64 = storage_get_json(KEY_NEXT_PROPOSAL).unwrap_or(0);
    storage_set_json(KEY_NEXT_PROPOSAL, &(id + 1));
    let now = block_timestamp();
    take_proposal_place(&who, id, now);
    let mut p = Proposal {
        id,
        proposer: who.clone(),
        action,
        votes: vec![who],
        status: "open".into(),
        created_at_ns: now,
        expires_at_ns: now.saturating_add(cfg.proposal_ttl_seconds.saturating_mul(1_000_000_000)),
        executed_at_ns: None,
    };
    maybe_execute(&cfg, &mut p);
    storage_set_json(&proposal_key(id), &p);
    log_str(&format!("proposal {} created", id));
    return_json(&p);
}

pub fn vote() {
    #[derive(serde::Deserialize)]
    struct Args {
        proposal_id: u64,
    }
    let cfg = config();
    let who = require_member(&cfg);
    let a: Args = input_json();
    let mut p = load_proposal(a.proposal_id).unwrap_or_else(|| panic_str("no such proposal"));
    require(p.status == "open", "proposal is not open");
    require(block_timestamp() <= p.expires_at_ns, "proposal expired");
    require(!p.votes.contains(&who), "already voted");
    p.votes.push(who);
    maybe_execute(&cfg, &mut p);
    storage_set_json(&proposal_key(p.id), &p);
    return_json(&p);
}

fn maybe_execute(cfg: &Config, p: &mut Proposal) {
    let counted = p.votes.iter().filter(|v| cfg.council.contains(v)).count();
    if counted < cfg.threshold as usize {
        return;
    }
    // Re-check against the current state: another proposal may have changed it since.
    if let Err(e) = validate_action(cfg, &p.action) {
        panic_str(&format!("proposal can no longer execute: {}", e));
    }
    execute(cfg.clone(), &p.action);
    p.status = "executed".into();
    p.executed_at_ns = Some(block_timestamp());
    log_str(&format!("proposal {} executed", p.id));
}

fn execute(mut cfg: Config, action: &ProposalKind) {
    match action {
        ProposalKind::AddOsMeasurement(m) => {
            let mut list = os_measurements();
            list.push(m.clone());
            storage_set_json(KEY_OS_MEASUREMENTS, &list);
        }
        ProposalKind::RemoveOsMeasurement(m) => {
            let mut list = os_measurements();
            list.retain(|x| x != m);
            storage_set_json(KEY_OS_MEASUREMENTS, &list);
            revoke_set(RevokedSet { set_id: m.set_id(), os_measurement: Some(m.clone()), compose_hash: None, revoked_at_ns: block_timestamp() });
        }
        ProposalKind::AddComposeHash { compose_hash } => {
            let mut list = compose_hashes();
            list.push(compose_hash.clone());
            storage_set_json(KEY_COMPOSE_HASHES, &list);
        }
        ProposalKind::RemoveComposeHash { compose_hash } => {
            let mut list = compose_hashes();
            list.retain(|x| x != compose_hash);
            storage_set_json(KEY_COMPOSE_HASHES, &list);
            revoke_set(RevokedSet {
                set_id: compose_set_id(compose_hash),
                os_measurement: None,
                compose_hash: Some(compose_hash.clone()),
                revoked_at_ns: block_timestamp(),
            });
        }
        ProposalKind::SetCouncil { council, threshold } => {
            cfg.council = council.clone();
            if let Some(t) = threshold {
                cfg.threshold = *t;
            }
            save_config(&cfg);
        }
        ProposalKind::SetThreshold { threshold } => {
            cfg.threshold = *threshold;
            save_config(&cfg);
        }
        ProposalKind::SetWorkerTtl { worker_ttl_seconds } => {
            cfg.worker_ttl_seconds = *worker_ttl_seconds;
            save_config(&cfg);
        }
        ProposalKind::SetChainKeysContract { chain_keys_contract_id } => {
            cfg.chain_keys_contract_id = Some(chain_keys_contract_id.clone());
            save_config(&cfg);
        }
        ProposalKind::SetAcceptedTcbStatuses { statuses, advisory_ids, grace_seconds } => {
            // Workers the old policy accepted keep working until the grace ends (checked per call,
            // in constant work, against the policy kept here); after that the new policy alone counts.
            cfg.previous_tcb_policy = Some(cfg.tcb_policy());
            cfg.tcb_grace_seconds = *grace_seconds;
            cfg.tcb_grace_until_ns = block_timestamp().saturating_add(grace_seconds.saturating_mul(1_000_000_000));
            cfg.accepted_tcb_statuses = statuses.clone();
            cfg.accepted_advisory_ids = advisory_ids.clone();
            save_config(&cfg);
        }
        ProposalKind::SetMinTcbEvaluationDataNumber { min_tcb_evaluation_data_number } => {
            cfg.min_tcb_evaluation_data_number = *min_tcb_evaluation_data_number;
            save_config(&cfg);
        }
    }
}

/// Marks the set revoked, in constant work whatever the number of its workers: from now on the
/// worker methods refuse its workers (their OS set or compose hash is no longer approved), and
/// `prune_workers` removes their records and access keys in bounded pages.
fn revoke_set(revoked: RevokedSet) {
    let what = if revoked.compose_hash.is_some() { "compose hash" } else { "OS measurements" };
    let line = format!("{} {} revoked: {} workers refused from now on, to be pruned", what, revoked.set_id, set_worker_count(&revoked.set_id));
    let mut list = revoked_sets();
    list.push(revoked);
    storage_set_json(KEY_REVOKED, &list);
    log_str(&line);
}
