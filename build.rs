//! Embeds every `playbooks/*.yaml` in the binary: writes a list of `(file name, text)`.
//! Each file is named from `CARGO_MANIFEST_DIR` when the crate compiles, not by an absolute
//! path written here: a target directory shared by two checkouts (whose build script need
//! not run again) still reads the playbooks of the checkout being built.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("playbooks");
    println!("cargo:rerun-if-changed=playbooks");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("playbooks/ exists")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    let mut out = String::from("&[\n");
    for n in &names {
        println!("cargo:rerun-if-changed=playbooks/{n}");
        let path = format!("/playbooks/{n}");
        writeln!(
            out,
            "    ({n:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {path:?}))),"
        )
        .unwrap();
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_playbooks.rs");
    std::fs::write(dest, out).expect("write embedded_playbooks.rs");
}
