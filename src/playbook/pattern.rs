//! A playbook regex, checked when the playbook loads and compiled the first time it is
//! used: a run compiles only the regexes of the causes it tries, and `explain` or
//! `playbooks list` compile none. Clones (one set of playbooks per engine thread) share the
//! compiled program, compiled once by whichever thread needs it first, and each gets its own
//! search caches.

use super::compiled_once::{CompiledOnce, never};
use regex::Regex;
use std::ops::Deref;
use std::sync::{Arc, LazyLock};

/// A regex compiled on first use; it dereferences to [`Regex`].
pub struct Pattern {
    source: Arc<str>,
    /// Every text the pattern matches, when it matches whole texts from a short list
    /// (`^(?:BackOff|Failed)$`, as an event reason or a status field is matched): such a
    /// test is a comparison, and [`Pattern::is_match`] makes it without the regex.
    whole: Option<Arc<[Box<str>]>>,
    /// Whether it names capture groups (what a match can fill template variables with).
    named: bool,
    /// Compiled once for all clones, each with search caches of its own.
    regex: CompiledOnce<Regex>,
}

static CAPTURE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>").expect("valid capture-name regex")
});

impl Pattern {
    /// Checks the syntax of `source` (what compiling would reject, but the size limits).
    pub fn new(source: &str) -> Result<Pattern, String> {
        let hir = regex_syntax::Parser::new()
            .parse(source)
            .map_err(|e| e.to_string())?;
        Ok(Pattern {
            source: source.into(),
            whole: whole_texts(&hir),
            named: CAPTURE_NAME.is_match(source),
            regex: CompiledOnce::new(),
        })
    }

    /// Whether the pattern matches anywhere in `text` (as [`Regex::is_match`]; a pattern
    /// that matches whole texts from a list compares `text` with them instead).
    pub fn is_match(&self, text: &str) -> bool {
        match &self.whole {
            Some(texts) => texts.iter().any(|t| **t == *text),
            None => Regex::is_match(self, text),
        }
    }

    /// Whether it names capture groups; a pattern that does not has nothing to capture.
    pub fn has_names(&self) -> bool {
        self.named
    }

    /// Whether its regex has been compiled (by this pattern or a clone).
    pub fn is_compiled(&self) -> bool {
        self.regex.is_compiled()
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The names of its capture groups (as [`Regex::capture_names`] yields them, without
    /// compiling).
    pub fn capture_names(&self) -> impl Iterator<Item = Option<&str>> {
        CAPTURE_NAME
            .captures_iter(&self.source)
            .map(|c| c.get(1).map(|m| m.as_str()))
    }
}

impl Deref for Pattern {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.regex.get(|| {
            Regex::new(&self.source).unwrap_or_else(|e| {
                // The syntax was checked at load; only a size limit can fail here.
                eprintln!(
                    "warning: playbook regex `{}` cannot be used: {e}",
                    self.source
                );
                never()
            })
        })
    }
}

impl Clone for Pattern {
    fn clone(&self) -> Pattern {
        Pattern {
            source: Arc::clone(&self.source),
            whole: self.whole.clone(),
            named: self.named,
            regex: self.regex.clone(),
        }
    }
}

/// The texts a pattern anchored at both ends (`^...$`, not multi-line) matches, when they
/// are a short, finite list of literals; `None` for anything else.
fn whole_texts(hir: &regex_syntax::hir::Hir) -> Option<Arc<[Box<str>]>> {
    use regex_syntax::hir::{HirKind, Look, literal::Extractor};
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let [first, middle @ .., last] = parts.as_slice() else {
        return None;
    };
    if *first.kind() != HirKind::Look(Look::Start) || *last.kind() != HirKind::Look(Look::End) {
        return None;
    }
    let middle = regex_syntax::hir::Hir::concat(middle.to_vec());
    let seq = Extractor::new().extract(&middle);
    if !seq.is_exact() {
        return None;
    }
    seq.literals()?
        .iter()
        .map(|l| std::str::from_utf8(l.as_bytes()).ok().map(Box::from))
        .collect::<Option<Vec<Box<str>>>>()
        .map(Arc::from)
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pattern({:?})", self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn checked_at_once_compiled_when_used() {
        assert!(Pattern::new("(unclosed").is_err());
        let p = Pattern::new(r#"secret "(?P<secret>[^"]+)" (?<why>not found)"#).unwrap();
        assert_eq!(
            p.capture_names().flatten().collect::<Vec<_>>(),
            ["secret", "why"]
        );
        assert!(p.is_match(r#"secret "db" not found"#));
        assert_eq!(p.clone().as_str(), p.as_str());
    }

    #[test]
    fn whole_text_lists_are_compared_not_searched() {
        for (source, listed) in [
            ("^(?:BackOff)$", true),
            ("^(?:FailedAttachVolume|FailedMount)$", true),
            ("^(?:(?i)ok)$", true),
            // Too many case variants to list: searched.
            ("^(?:(?i)oomkilled)$", false),
            ("^(?:Err.*)$", false),
            ("(?m)^(?:BackOff)$", false),
            ("BackOff", false),
        ] {
            let p = Pattern::new(source).unwrap();
            assert_eq!(p.whole.is_some(), listed, "{source}");
            let regex = regex::Regex::new(source).unwrap();
            for text in [
                "BackOff",
                "BackOffX",
                "xBackOff",
                "FailedMount",
                "FailedAttachVolume",
                "Failed",
                "OOMKilled",
                "oomKILLED",
                "Ok",
                "o\u{212A}",
                "ErrImagePull",
                "",
                "a\nBackOff",
            ] {
                assert_eq!(
                    p.is_match(text),
                    regex.is_match(text),
                    "{source} on {text:?}"
                );
            }
        }
        assert!(
            !Pattern::new("^(?:BackOff)$").unwrap().is_compiled(),
            "a comparison compiles nothing"
        );
    }

    #[test]
    fn clones_compile_once() {
        let p = Pattern::new("a+b").unwrap();
        let q = p.clone();
        assert!(q.is_match("aab"));
        assert!(p.is_compiled(), "the clone compiled it for both");
        assert!(p.is_match("ab"));
    }
}
