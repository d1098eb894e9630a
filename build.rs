//! Embeds every `playbooks/*.yaml` in the binary: writes a list of `(file name, text)`.

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
        let abs = std::fs::canonicalize(dir.join(n)).expect("playbook path");
        writeln!(
            out,
            "    ({n:?}, include_str!({:?})),",
            abs.display().to_string()
        )
        .unwrap();
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_playbooks.rs");
    std::fs::write(dest, out).expect("write embedded_playbooks.rs");
}
