//! Narrowing evidence to the pods a command asked for: namespace, selector, names.

use crate::cli::ScopeArgs;
use crate::error::RunError;
use crate::evidence::Evidence;
use crate::selector::Selector;
use crate::sources::cluster::Target;

/// Keeps only the pods in scope; names that match no pod are an error.
pub fn apply(evidence: &mut Evidence, scope: &ScopeArgs) -> Result<(), RunError> {
    let selector = scope
        .selector
        .as_deref()
        .map(Selector::parse)
        .transpose()
        .map_err(RunError::Usage)?;
    let ns = scope.namespace.as_deref().filter(|_| !scope.all_namespaces);
    // `deployment/web`, `node/worker-1`: targets a live run already narrowed by.
    let names: Vec<String> = scope
        .pods
        .iter()
        .filter_map(|t| match Target::parse(t) {
            Ok(Target::Pod(n)) => Some(n),
            Ok(_) => None,
            Err(_) => Some(t.clone()),
        })
        .collect();
    if names.len() < scope.pods.len() && names.is_empty() {
        return Ok(());
    }
    evidence.pods.retain(|p| {
        ns.is_none_or(|n| p.namespace == n)
            && selector.as_ref().is_none_or(|s| s.matches(&p.labels))
            && (names.is_empty() || names.iter().any(|n| *n == p.name || *n == p.key()))
    });
    for name in &names {
        if !evidence
            .pods
            .iter()
            .any(|p| p.name == *name || p.key() == *name)
        {
            let where_ = ns.map_or_else(
                || "the evidence".to_string(),
                |n| format!("namespace `{n}`"),
            );
            return Err(RunError::Usage(format!(
                "pod `{name}` not found in {where_}; list pods with `kubedoctor diagnose --from DIR`"
            )));
        }
    }
    Ok(())
}
