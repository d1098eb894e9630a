//! Error messages about files that hold secrets (a kubeconfig, pasted YAML): where the
//! problem is (line, column, the key on that line), never the text around it. A YAML
//! parser's message quotes the neighbouring lines (`token:`, `client-key-data:`) and the
//! values it could not read; neither leaves.

use regex::Regex;
use std::sync::LazyLock;

/// A quoted value in a parser's message (`invalid type: string "…"`).
static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""(?:[^"\\]|\\.)*"|'[^']*'"#).expect("valid"));

/// The position a message repeats at its end.
static AT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*at line \d+,? column \d+\s*$").expect("valid"));

/// A YAML error as `line L, column C: what` with no quoted text and no snippet.
pub fn yaml_error(e: &serde_saphyr::Error) -> String {
    let bare = e.without_snippet();
    let message = bare.to_string();
    // The first line is the message; what follows is the snippet.
    let first = message.lines().next().unwrap_or_default();
    let what = QUOTED.replace_all(first, "…");
    let what = AT.replace(&what, "");
    let what = super::text(&what).into_owned();
    match e.location() {
        Some(l) => format!("line {}, column {}: {what}", l.line(), l.column()),
        None => what,
    }
}

/// A `key: value` or `key=value` line of configuration.
static KEY_VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*(?:-\s+)?[\w.-]+\s*[:=])\s*\S").expect("valid"));

/// A pasted line as a note or an error quotes it: redacted, and a line of configuration
/// (`value: …`) by its key only, since the name saying its value is a secret may be on the
/// line before.
pub fn quote_line(line: &str) -> String {
    match KEY_VALUE.captures(line) {
        Some(c) => format!("{} …", c[1].trim_start()),
        None => super::text(line).into_owned(),
    }
}

/// The key of line `line` (1-based) of a YAML text (`token` of `    token: …`), if the line
/// has one.
pub fn key_at(text: &str, line: u64) -> Option<String> {
    let l = text
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let l = l.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = l.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    (!key.is_empty() && !key.contains(char::is_whitespace)).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_yaml_error_says_where_and_quotes_nothing() {
        let text = "users:\n- name: admin\n  user:\n    token: s3cr3tT0kenValue\n    client-key-data: LS0tQUJDRA==\n   bad: [\n";
        let e = serde_saphyr::from_str::<serde_json::Value>(text).unwrap_err();
        let said = yaml_error(&e);
        eprintln!("{said}\n---\n{e}");
        assert!(said.starts_with("line "), "{said}");
        assert!(
            !said.contains("s3cr3tT0kenValue") && !said.contains("LS0t"),
            "{said}"
        );
        let e = serde_saphyr::from_str::<Vec<u32>>("- \"hunter22\"\n").unwrap_err();
        let said = yaml_error(&e);
        assert!(!said.contains("hunter22"), "{said}");
        assert_eq!(quote_line("  value: hunter22"), "value: …");
        assert_eq!(quote_line("error: Bearer 0a1b2c3d4e5f6a7b8c9d"), "error: …");
        assert_eq!(quote_line("some words here"), "some words here");
        assert_eq!(key_at(text, 4).as_deref(), Some("token"));
        assert_eq!(key_at(text, 2).as_deref(), Some("name"));
    }
}
