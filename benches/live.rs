//! Live-cluster benchmark: a generated cluster of 5,000 pods (500 unhealthy) served by the
//! replay API server with 20 ms added to every response; `kubedoctor diagnose -A` against
//! it. Reports wall time and request count against the goal of 1.5 x the ideal,
//! (list pages + log requests / concurrency) x 20 ms.
//!
//! Run: `cargo bench --bench live` (writes nothing but a temporary directory).

#[path = "../examples/support/builders.rs"]
mod builders;
#[path = "../examples/support/cluster.rs"]
mod cluster;
#[path = "../tests/support/replay.rs"]
mod replay;

use std::time::{Duration, Instant};

fn main() {
    let latency = Duration::from_millis(20);
    let concurrency = 8;
    let dir = tempfile::tempdir().expect("tempdir");
    let bundle = dir.path().join("cluster");
    let spec = cluster::Spec {
        pods: 5000,
        unhealthy: 500,
        namespaces: 20,
        nodes: 100,
        events_per_pod: 6,
        log_lines: 200,
    };
    let written = cluster::generate(&spec, &bundle);
    let server = replay::Replay::start(&bundle, latency, vec![]);
    let kubeconfig = server.kubeconfig(dir.path(), "default");
    let started = Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubedoctor"))
        .args([
            "diagnose",
            "-A",
            "-o",
            "json",
            "--concurrency",
            &concurrency.to_string(),
            "--kubeconfig",
        ])
        .arg(&kubeconfig)
        .output()
        .expect("run kubedoctor");
    let wall = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let requests = server.requests();
    let lists = requests.iter().filter(|(_, u)| !u.contains("/log")).count();
    let logs = requests.iter().filter(|(_, u)| u.contains("/log")).count();
    let ideal = latency.mul_f64(lists as f64 + (logs as f64 / concurrency as f64).ceil());
    let ratio = wall.as_secs_f64() / ideal.as_secs_f64();
    println!(
        "live diagnose -A: {} pods, {} events, {} unhealthy",
        written.pods, written.events, spec.unhealthy
    );
    println!(
        "  requests: {} ({lists} list pages, {logs} log and journal requests)",
        requests.len()
    );
    println!(
        "  wall time: {:.2} s; ideal (lists + logs/{concurrency}) x 20 ms: {:.2} s; ratio {ratio:.2} (goal <= 1.5)",
        wall.as_secs_f64(),
        ideal.as_secs_f64()
    );
}
