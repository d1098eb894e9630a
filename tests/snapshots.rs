//! The text snapshot of `diagnose` on the demo cluster (color off), and the JSON contract
//! shared by `diagnose` and `report`.

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

/// The JSON of the demo is snapshotted once (`reports__report_json_snapshot`); `diagnose`
/// and `report` write the same contract, so the two must agree field for field.
#[test]
fn diagnose_and_report_write_the_same_json() {
    let json = |cmd: &str| {
        let mut v = stable_json(&stdout_of(kubedoctor().args([
            cmd,
            "--from",
            "samples/demo-cluster",
            "-o",
            "json",
        ])));
        v["duration_seconds"] = serde_json::Value::Null;
        v
    };
    let (d, r) = (json("diagnose"), json("report"));
    assert!(d["pods"].as_array().is_some_and(|p| !p.is_empty()));
    assert_eq!(d, r);
}
