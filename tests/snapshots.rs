//! Snapshots of each renderer on the demo cluster (color off, timestamp redacted).

mod support;

use support::{kubedoctor, stable_json};

#[test]
fn demo_text_report() {
    let out = kubedoctor()
        .args([
            "diagnose",
            "--from",
            "samples/demo-cluster",
            "--color",
            "never",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn demo_json_report() {
    let out = kubedoctor()
        .args(["diagnose", "--from", "samples/demo-cluster", "-o", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    insta::assert_json_snapshot!(stable_json(&out));
}
