//! Event rows in every shape kubectl prints them.

use super::*;

#[test]
fn describe_rows_padded_collapsed_and_old() {
    let e = describe_row("  Warning  BackOff    3m2s (x5 over 10m)    kubelet            Back-off restarting failed container").unwrap();
    assert_eq!(
        (e.reason.as_str(), e.count, e.age.as_deref()),
        ("BackOff", 5, Some("3m2s"))
    );
    assert_eq!(e.message, "Back-off restarting failed container");
    let e =
        describe_row("Warning Failed 2s kubelet Failed to pull image \"x\": not found").unwrap();
    assert_eq!(e.message, "Failed to pull image \"x\": not found");
    let e = describe_row("  Warning  FailedMount  9s (x8 over 1m)  kubelet, worker-3.cluster.example  MountVolume.SetUp failed").unwrap();
    assert_eq!(e.source, "kubelet");
    assert_eq!(e.source_host.as_deref(), Some("worker-3.cluster.example"));
    assert_eq!(e.message, "MountVolume.SetUp failed");
    let e = describe_row("  Warning  FailedScheduling   <unknown>   default-scheduler   0/6 nodes are available: 6 Insufficient cpu.").unwrap();
    assert_eq!(e.age.as_deref(), Some("<unknown>"));
    assert!(describe_row("Name:   web-1").is_none());
}

#[test]
fn get_events_tables() {
    let t = |h: &str| Table {
        header_line: h.to_string(),
        columns: table_header(h).unwrap(),
    };
    let h = t("LAST SEEN   TYPE      REASON    OBJECT               MESSAGE");
    let (e, io) = table_row(&h, "3m          Warning   Failed    pod/web-7d9c-x2k4q   Failed to pull image \"x\":  not found").unwrap();
    assert_eq!(
        (io.kind.as_str(), io.name.as_str()),
        ("Pod", "web-7d9c-x2k4q")
    );
    assert_eq!(e.message, "Failed to pull image \"x\":  not found");
    let h = t(
        "NAMESPACE   LAST SEEN   TYPE      REASON         OBJECT                      SUBOBJECT                SOURCE    MESSAGE                FIRST SEEN   COUNT   NAME",
    );
    let (e, io) = table_row(&h, "shop        2m          Warning   BackOff        pod/web-1                   spec.containers{app}     kubelet   Back-off restarting    10m          12      web-1.17a").unwrap();
    assert_eq!(
        (e.count, e.container.as_deref(), io.namespace.as_str()),
        (12, Some("app"), "shop")
    );
    assert_eq!(e.message, "Back-off restarting");
    let h = t(
        "LAST SEEN   FIRST SEEN   COUNT     NAME        KIND      SUBOBJECT   TYPE      REASON    SOURCE    MESSAGE",
    );
    let (e, io) = table_row(&h, "1m          5m           3         web-1       Pod                   Warning   Failed    kubelet   Error: ErrImagePull").unwrap();
    assert_eq!(
        (io.kind.as_str(), e.reason.as_str(), e.count),
        ("Pod", "Failed", 3)
    );
    // An overlong reason with one space before the object.
    let h = t(
        "NAMESPACE   LAST SEEN   TYPE      REASON              OBJECT                      MESSAGE",
    );
    let (e, io) = table_row(&h, "batch       10m         Warning   BackoffLimitExceeded job/nightly-export-29101440  Job has reached the specified backoff limit").unwrap();
    assert_eq!(
        (e.reason.as_str(), io.kind.as_str(), io.name.as_str()),
        ("BackoffLimitExceeded", "Job", "nightly-export-29101440")
    );
}

#[test]
fn columns_split_on_runs_of_two_or_more_spaces() {
    assert_eq!(
        split_columns("  NAME   READY  A B\u{a0}\u{a0}C  "),
        vec!["NAME", "READY", "A B", "C"]
    );
    assert!(split_columns("   ").is_empty());
    assert_eq!(split_columns("one"), vec!["one"]);
}
