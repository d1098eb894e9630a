//! A compiled regex program shared by clones: the playbooks are cloned once per engine
//! thread, and each clone needs search caches of its own (a regex shared by threads hands
//! its caches around under a lock) but not a program of its own. [`CompiledOnce`] compiles
//! on first use, once for all clones, and gives each clone its own copy of the result (a
//! `Regex` clone shares the program and starts fresh caches).

use regex::Regex;
use std::sync::{Arc, OnceLock};

/// A value compiled on first use, once for all clones; each clone keeps its own copy.
#[derive(Debug)]
pub struct CompiledOnce<T> {
    shared: Arc<OnceLock<T>>,
    local: OnceLock<T>,
}

impl<T: Clone> CompiledOnce<T> {
    pub fn new() -> CompiledOnce<T> {
        CompiledOnce {
            shared: Arc::new(OnceLock::new()),
            local: OnceLock::new(),
        }
    }

    /// The value, compiled by `compile` if no clone has compiled it yet.
    pub fn get(&self, compile: impl FnOnce() -> T) -> &T {
        self.local
            .get_or_init(|| self.shared.get_or_init(compile).clone())
    }

    /// Whether any clone has compiled it.
    pub fn is_compiled(&self) -> bool {
        self.shared.get().is_some()
    }
}

impl<T: Clone> Default for CompiledOnce<T> {
    fn default() -> Self {
        CompiledOnce::new()
    }
}

impl<T> Clone for CompiledOnce<T> {
    /// Shares what is (or will be) compiled; the clone's own copy starts empty.
    fn clone(&self) -> Self {
        CompiledOnce {
            shared: Arc::clone(&self.shared),
            local: OnceLock::new(),
        }
    }
}

/// A regex that matches nothing: what stands for one that cannot be compiled (after a
/// warning), so a run goes on without it.
pub fn never() -> Regex {
    Regex::new(r"[^\s\S]").expect("the empty class compiles")
}

#[cfg(test)]
mod tests {
    use super::CompiledOnce;
    use std::cell::Cell;

    #[test]
    fn clones_compile_once_and_keep_their_own_copy() {
        let compiled = Cell::new(0);
        let a: CompiledOnce<String> = CompiledOnce::new();
        let b = a.clone();
        assert!(!a.is_compiled());
        let compile = || {
            compiled.set(compiled.get() + 1);
            "program".to_string()
        };
        assert_eq!(b.get(compile), "program");
        assert!(a.is_compiled(), "compiled for every clone");
        assert!(a.local.get().is_none(), "a has not taken its copy yet");
        assert_eq!(a.get(|| unreachable!("compiled already")), "program");
        assert_eq!(
            a.clone().get(|| unreachable!("compiled already")),
            "program"
        );
        assert_eq!(compiled.get(), 1);
    }
}
