//! kubedoctor's developer tools, run as `cargo xtask <command>` (the alias in
//! `.cargo/config.toml` for `cargo run --package xtask --`):
//!
//! - `make-samples [DIR]`: writes `samples/` (or DIR) from `scenarios/*.yaml`;
//! - `make-sessions [DIR]`: writes `tests/sessions/` (or DIR) from `tests/sessions/defs/`
//!   (needs kubectl 1.33: `scripts/fetch-kubectl`);
//! - `gen-cluster [FLAGS]`: writes a generated cluster bundle of any size;
//! - `realworld [DIR]`: ranks the confirmed cause of each real pasted case in DIR (run it
//!   in release: `cargo run --release -p xtask -- realworld ../shared/realworld`).

mod gen_cluster;
mod make_samples;
mod make_sessions;
mod realworld;
#[path = "../../tests/support/replay.rs"]
mod replay;
mod support;

use std::path::{Path, PathBuf};

const USAGE: &str = "usage: cargo xtask <command> [ARGS]

commands:
  make-samples [DIR]    write samples/ (or DIR) from scenarios/*.yaml
  make-sessions [DIR]   write tests/sessions/ (or DIR) from tests/sessions/defs/ (needs kubectl)
  gen-cluster [FLAGS]   write a generated cluster bundle (--pods N --unhealthy N --fleet PERCENT
                        --namespaces N --nodes N --events-per-pod N --log-lines N --services N
                        --deployment-size N --out DIR)
  realworld [DIR]       rank the confirmed cause of each case in DIR (default ../shared/realworld)";

fn main() {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    match command.as_deref() {
        Some("make-samples") => make_samples::run(&rest),
        Some("make-sessions") => make_sessions::run(&rest),
        Some("gen-cluster") => gen_cluster::run(&rest),
        Some("realworld") => realworld::run(&rest),
        Some("-h" | "--help" | "help") => println!("{USAGE}"),
        Some(other) => {
            eprintln!("xtask: unknown command `{other}`\n\n{USAGE}");
            std::process::exit(2);
        }
        None => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
}

/// The repository's root (the workspace holding this crate).
fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ sits in the repository")
}

/// The first argument as a path, or `default` under the repository's root.
fn dir_arg(args: &[String], default: &str) -> PathBuf {
    args.first()
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(default))
}
