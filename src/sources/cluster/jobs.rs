//! The Jobs a live run lists: when an unhealthy pod belongs to a Job, one LIST of the
//! scope's Jobs, of which it keeps those owning the listed pods and the other runs of their
//! CronJobs (whether a later run succeeded decides whether a failed one is still a problem).

use super::call::CallError;
use super::connect::Connection;
use super::list::{Listed, list_all, path};
use crate::evidence::{Job, Pod};
use crate::sources::objects::{jobs, json};
use std::collections::HashSet;

/// Whether any of the pods at `unhealthy` belongs to a Job.
pub fn needed(pods: &[Pod], unhealthy: &[usize]) -> bool {
    unhealthy
        .iter()
        .any(|&i| pods[i].owner.as_ref().is_some_and(|o| o.kind == "job"))
}

/// Lists the Jobs of the scope and keeps the owners of `pods` and their CronJobs' other runs.
pub async fn list(
    conn: &Connection,
    ns: Option<&str>,
    pods: &[Pod],
    keep_raw: bool,
) -> Result<Listed<Job>, CallError> {
    let listed = list_all(
        conn,
        &path("batch/v1", "jobs", ns),
        None,
        None,
        keep_raw,
        json(jobs::job),
    )
    .await?;
    Ok(keep_related(listed, pods))
}

/// The Jobs owning a pod of `pods`, and every Job of the same CronJob; each kept item with
/// its own JSON (`raw[i]` stays `items[i]`'s).
fn keep_related(listed: Listed<Job>, pods: &[Pod]) -> Listed<Job> {
    let owners: HashSet<(&str, &str)> = pods
        .iter()
        .filter_map(|p| {
            let o = p.owner.as_ref().filter(|o| o.kind == "job")?;
            Some((p.namespace.as_str(), o.name.as_str()))
        })
        .collect();
    let cronjobs: HashSet<(String, String)> = listed
        .items
        .iter()
        .filter(|j| owners.contains(&(j.namespace.as_str(), j.name.as_str())))
        .filter_map(|j| Some((j.namespace.clone(), j.cronjob.clone()?)))
        .collect();
    let keep: Vec<bool> = listed
        .items
        .iter()
        .map(|j| {
            owners.contains(&(j.namespace.as_str(), j.name.as_str()))
                || j.cronjob
                    .as_ref()
                    .is_some_and(|c| cronjobs.contains(&(j.namespace.clone(), c.clone())))
        })
        .collect();
    let with_raw = !listed.raw.is_empty();
    let mut raw = listed.raw.into_iter();
    let mut out = Listed {
        items: Vec::new(),
        bad: listed.bad,
        raw: Vec::new(),
        // A Job that did not decode cannot be told related: it is not kept.
        raw_bad: Vec::new(),
    };
    for (job, keep) in listed.items.into_iter().zip(keep) {
        let r = if with_raw { raw.next() } else { None };
        if keep {
            out.items.push(job);
            out.raw.extend(r);
        }
    }
    out
}
