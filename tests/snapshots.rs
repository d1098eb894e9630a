//! Snapshots of each renderer on the demo cluster (color off, timestamp redacted).

mod support;

use support::{kubedoctor, stable_json, stdout_of};

#[test]
fn demo_text_report() {
    let out = stdout_of(kubedoctor().args([
        "diagnose",
        "--from",
        "samples/demo-cluster",
        "--color",
        "never",
    ]));
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn demo_json_report() {
    let out =
        stdout_of(kubedoctor().args(["diagnose", "--from", "samples/demo-cluster", "-o", "json"]));
    insta::assert_json_snapshot!(stable_json(&out));
}
