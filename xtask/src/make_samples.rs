//! Writes `samples/`: one evidence bundle per scenario of `scenarios/` (a small healthy
//! cluster plus the broken pods of one situation) and `samples/demo-cluster`, which mixes the
//! scenarios marked `demo`.
//!
//! Run: `cargo xtask make-samples` (rewrites `samples/`; the output is committed), or
//! `cargo xtask make-samples DIR` to write into DIR (CI compares it with `samples/`).

use crate::support::sample::Sample;
use crate::support::scenario;

/// `make-samples [DIR]`.
pub fn run(args: &[String]) {
    let root = crate::dir_arg(args, "samples");
    std::fs::create_dir_all(&root).expect("samples dir");
    let data = match scenario::load_dir(&crate::repo_root().join("scenarios")) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    for (name, sc) in &data {
        let mut s = Sample::base(name, &sc.description);
        sc.apply(&mut s);
        s.write(&root);
    }
    let mut demo = Sample::base(
        "demo-cluster",
        "a cluster with many problems and healthy pods",
    );
    let mut mix: Vec<_> = data
        .iter()
        .filter_map(|(name, sc)| Some((sc.demo.place()?, name, sc)))
        .collect();
    mix.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    for (_, _, sc) in &mix {
        sc.apply(&mut demo);
    }
    demo.write(&root);
    println!(
        "wrote {} samples from scenarios/*.yaml and demo-cluster ({} of them) to {}",
        data.len(),
        mix.len(),
        root.display()
    );
}
