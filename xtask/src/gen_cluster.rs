//! Writes a generated cluster bundle: `cargo run --release -p xtask -- gen-cluster --pods
//! 10000 --unhealthy 1000 --events-per-pod 10 --log-lines 200 --out /tmp/cluster`, or the
//! production-shaped fleet profile: `gen-cluster --fleet 40 --pods 10000 --out /tmp/fleet` (40% of
//! the pods unhealthy, Deployments of 500 pods, ReplicaSet, PVC and node events);
//! `--services N` adds N Services with one EndpointSlice each.

use crate::support::cluster::{Spec, generate};

/// `gen-cluster [FLAGS]`.
pub fn run(args: &[String]) {
    let mut spec = Spec::default();
    let mut out = std::path::PathBuf::from("generated-cluster");
    let mut i = 0;
    if let Some(pos) = args.iter().position(|a| a == "--fleet") {
        let percent = args
            .get(pos + 1)
            .and_then(|v| v.parse().ok())
            .expect("--fleet takes the unhealthy percentage");
        let pods = args
            .iter()
            .position(|a| a == "--pods")
            .and_then(|p| args.get(p + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000);
        spec = Spec::fleet(pods, percent);
    }
    while i + 1 < args.len() {
        let v = &args[i + 1];
        let n = || {
            v.parse::<usize>()
                .unwrap_or_else(|_| panic!("{} takes a number", args[i]))
        };
        match args[i].as_str() {
            "--pods" => spec.pods = n(),
            "--unhealthy" => spec.unhealthy = n(),
            "--namespaces" => spec.namespaces = n(),
            "--nodes" => spec.nodes = n(),
            "--events-per-pod" => spec.events_per_pod = n(),
            "--log-lines" => spec.log_lines = n(),
            "--services" => spec.services = n(),
            "--deployment-size" => spec.deployment_size = n(),
            "--out" => out = v.into(),
            "--fleet" => {}
            other => panic!("unknown flag {other}"),
        }
        i += 2;
    }
    let w = generate(&spec, &out);
    println!(
        "wrote {} pods, {} events, {} log files ({} MB) to {}",
        w.pods,
        w.events,
        w.log_files,
        w.bytes / 1_000_000,
        out.display()
    );
}
