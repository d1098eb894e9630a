//! Every log regex of every playbook, compiled once into a set: a log is scanned once for
//! all of them (a combined regex over the whole text finds candidate lines, a `RegexSet`
//! tells which patterns each candidate line matches), not once per pattern per line. The
//! set is compiled the first time a log is scanned (a run without logs never compiles it),
//! once for all clones (one per engine thread), each clone with search caches of its own.

use super::compiled_once::{CompiledOnce, never};
use regex::{Regex, RegexSet};
use std::collections::HashMap;

/// The log patterns of a set of playbooks.
#[derive(Debug, Clone)]
pub struct LogPatterns {
    index: HashMap<String, usize>,
    list: Vec<String>,
    /// Compiled once for all clones, each with search caches of its own.
    compiled: CompiledOnce<Compiled>,
}

/// The compiled set.
#[derive(Debug, Clone)]
struct Compiled {
    set: RegexSet,
    /// All patterns as one alternation (capture names dropped): the fast first pass.
    any: Regex,
}

/// For one log: the lines each pattern matched, by pattern index.
#[derive(Debug, Clone, Default)]
pub struct LogHits {
    hits: Vec<Vec<u32>>,
}

impl LogHits {
    /// Line numbers matched by a pattern, in order.
    pub fn lines(&self, pattern: usize) -> &[u32] {
        self.hits.get(pattern).map_or(&[], Vec::as_slice)
    }
}

impl LogPatterns {
    /// Builds the set from patterns (duplicates collapse).
    pub fn new<'a>(
        patterns: impl IntoIterator<Item = &'a str>,
    ) -> Result<LogPatterns, regex::Error> {
        let mut index = HashMap::new();
        let mut list: Vec<String> = Vec::new();
        for p in patterns {
            if !index.contains_key(p) {
                index.insert(p.to_string(), list.len());
                list.push(p.to_string());
            }
        }
        for p in &list {
            regex_syntax::Parser::new()
                .parse(p)
                .map_err(|e| regex::Error::Syntax(e.to_string()))?;
        }
        Ok(LogPatterns {
            index,
            list,
            compiled: CompiledOnce::new(),
        })
    }

    /// Compiles the set now rather than at the first scan.
    pub fn compile_now(&self) {
        self.compiled();
    }

    fn compiled(&self) -> &Compiled {
        self.compiled.get(|| self.compile())
    }

    fn compile(&self) -> Compiled {
        let compile = || -> Result<Compiled, regex::Error> {
            let set = RegexSet::new(&self.list)?;
            let unnamed: Vec<String> = self
                .list
                .iter()
                .map(|p| format!("(?:{})", drop_names(p)))
                .collect();
            // A larger lazy-DFA cache: Unicode classes in case-folded alternations make a
            // big automaton, and a cache that thrashes is slower than grep.
            let any = if unnamed.is_empty() {
                never()
            } else {
                regex::RegexBuilder::new(&unnamed.join("|"))
                    .dfa_size_limit(256 << 20)
                    .build()?
            };
            Ok(Compiled { set, any })
        };
        compile().unwrap_or_else(|e| {
            // Each pattern's syntax was checked at load; only a size limit can fail.
            eprintln!("warning: the playbook log patterns cannot be compiled as one set: {e}");
            Compiled {
                set: RegexSet::empty(),
                any: never(),
            }
        })
    }

    /// The index of a pattern in the set.
    pub fn position(&self, pattern: &str) -> Option<usize> {
        self.index.get(pattern).copied()
    }

    /// How many distinct patterns.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Scans text (lines separated by `\n`) once: which lines each pattern matches.
    pub fn scan(&self, text: &str) -> LogHits {
        let Compiled { set, any } = self.compiled();
        let mut hits = vec![Vec::new(); set.len()];
        let mut pos = 0;
        let mut line_no: u32 = 0;
        let mut counted_to = 0;
        while pos < text.len() {
            let Some(m) = any.find_at(text, pos) else {
                break;
            };
            let start = text[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            let end = text[m.start()..]
                .find('\n')
                .map_or(text.len(), |i| m.start() + i);
            line_no += text[counted_to..start]
                .bytes()
                .filter(|&b| b == b'\n')
                .count() as u32;
            counted_to = start;
            for p in set.matches(&text[start..end]).iter() {
                hits[p].push(line_no);
            }
            pos = end + 1;
        }
        LogHits { hits }
    }
}

/// `(?P<name>x)` and `(?<name>x)` -> `(?:x)`: one alternation cannot repeat a name.
fn drop_names(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut rest = p;
    while let Some(i) = rest
        .find("(?P<")
        .or_else(|| rest.find("(?<"))
        .filter(|_| true)
    {
        let (before, after) = rest.split_at(i);
        // `(?<=` and `(?<!` are look-behinds, which the regex crate does not support anyway.
        let skip = if after.starts_with("(?P<") { 4 } else { 3 };
        let Some(close) = after[skip..].find('>') else {
            break;
        };
        out.push_str(before);
        out.push_str("(?:");
        rest = &after[skip + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_scan_finds_every_pattern_line() {
        let p = LogPatterns::new(["refused (?P<host>\\S+)", "(?i)out of memory", "x{3}"]).unwrap();
        let text = "ok\nconnect refused db:5432\nnothing\nOut Of Memory\nxxx and refused now\n";
        let hits = p.scan(text);
        assert_eq!(hits.lines(0), &[1, 4]);
        assert_eq!(hits.lines(1), &[3]);
        assert_eq!(hits.lines(2), &[4]);
        assert_eq!(p.position("x{3}"), Some(2));
        assert_eq!(drop_names("a(?P<x>b)(?<y>c)"), "a(?:b)(?:c)");
    }

    #[test]
    fn clones_share_one_compiled_set() {
        let p = LogPatterns::new(["refused"]).unwrap();
        let q = p.clone();
        assert_eq!(q.scan("connection refused\n").lines(0), &[0]);
        assert!(
            p.compiled.is_compiled(),
            "the clone compiled the set for both"
        );
    }
}
