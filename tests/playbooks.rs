//! The shipped playbooks load, and every cause id is pinned.

use kubedoctor::playbook::Playbooks;

#[test]
fn shipped_playbooks_load() {
    let p = Playbooks::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert!(p.causes().count() > 30);
}

/// A matcher on a whole value from a short list (`container.last_state.reason: OOMKilled`)
/// is a comparison: the engine decides it without compiling its regex.
#[test]
fn whole_value_matchers_are_compared_without_compiling() {
    use kubedoctor::playbook::Matcher;
    let playbooks = Playbooks::embedded().unwrap();
    let evidence = kubedoctor::sources::bundle::read(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/crash-oom"),
    )
    .unwrap();
    let diagnoses = kubedoctor::engine::diagnose(&evidence, &playbooks);
    let top = diagnoses
        .iter()
        .filter_map(|d| d.findings.first())
        .find(|f| f.id == "crash.oom")
        .expect("a pod killed for its memory");
    let cause = playbooks.cause("crash.oom").unwrap();
    let mut leaves = Vec::new();
    cause.when.iter().for_each(|m| m.leaves(&mut leaves));
    let oom = leaves
        .iter()
        .find_map(|l| match l {
            Matcher::Text { re, .. } if re.as_str() == "^(?:OOMKilled)$" => Some(re),
            _ => None,
        })
        .expect("crash.oom matches the container's reason");
    assert!(
        top.evidence.iter().any(|e| e.text.contains("OOMKilled")),
        "{:?}",
        top.evidence
    );
    assert!(!oom.is_compiled(), "compared, not compiled");
}
