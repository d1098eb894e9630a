//! Live-cluster benchmark: a generated fleet-shaped cluster of 50,000 pods (10% unhealthy,
//! Deployments of 500 pods with a `SuccessfulCreate` event per pod) served by the replay API
//! server with 20 ms added to every response; `kubedoctor diagnose -A` against it. Reports
//! wall time, request count and peak memory against the goal of 1.5 x the ideal, (list
//! pages + log requests / concurrency) x 20 ms, and memory bounded by what is kept.
//!
//! Run: `cargo bench --bench live` (`KUBEDOCTOR_BENCH_LIVE_PODS=5000` for a smaller one).

#[path = "../xtask/src/support/builders.rs"]
mod builders;
#[path = "../xtask/src/support/cluster.rs"]
mod cluster;
#[path = "../tests/support/replay.rs"]
mod replay;

use std::time::{Duration, Instant};

fn main() {
    let latency = Duration::from_millis(20);
    let concurrency = 8;
    let dir = tempfile::tempdir().expect("tempdir");
    let bundle = dir.path().join("cluster");
    let pods = std::env::var("KUBEDOCTOR_BENCH_LIVE_PODS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50_000);
    let spec = cluster::Spec {
        // Fewer events per pod than the offline benchmark: the replay server holds the
        // whole cluster as JSON values in memory.
        events_per_pod: 4,
        ..cluster::Spec::fleet(pods, 10)
    };
    let written = cluster::generate(&spec, &bundle);
    let server = replay::Replay::start(&bundle, latency, vec![]);
    let kubeconfig = server.kubeconfig(dir.path(), "default");
    let started = Instant::now();
    let out = std::process::Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_kubedoctor"))
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
    let peak_mb = String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.parse::<u64>().ok())
        .map_or("?".to_string(), |k| (k / 1024).to_string());
    println!(
        "live diagnose -A: {} pods, {} events, {} unhealthy",
        written.pods, written.events, spec.unhealthy
    );
    println!(
        "  requests: {} ({lists} list pages, {logs} log and journal requests)",
        requests.len()
    );
    println!(
        "  wall time: {:.2} s; ideal (lists + logs/{concurrency}) x 20 ms: {:.2} s; ratio {ratio:.2} (goal <= 1.5); peak {peak_mb} MB",
        wall.as_secs_f64(),
        ideal.as_secs_f64()
    );
}
