//! Small helpers for the words of messages and reports, so counts read right
//! (`1 event`, `3 events`).

/// `1 restart`, `0 restarts`, `3 restarts`.
pub fn count(n: impl Into<u64>, singular: &str, plural: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// `namespace/name`, or `name` when the namespace is not known (pasted text without one).
pub fn qualified(namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    }
}

/// At most `max` characters of a line, with `…` when cut: what an error quotes of an input.
pub fn excerpt(line: &str, max: usize) -> String {
    match line.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

/// The candidate nearest to a mistyped `word`, for a "did you mean": the fewest edits
/// (a swapped pair of letters is one), at most one per three letters of the word (at least
/// one); `None` when nothing is that close or `word` itself is a candidate.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let most = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(d, _)| *d <= most)
        .min_by_key(|(d, c)| (*d, *c))
        .filter(|(d, _)| *d > 0)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::{count, excerpt, nearest, qualified};

    #[test]
    fn the_nearest_name_is_a_few_edits_away() {
        let names = ["web", "api", "frontend", "db"];
        assert_eq!(nearest("wbe", names), Some("web"));
        assert_eq!(nearest("frontnd", names), Some("frontend"));
        assert_eq!(nearest("zzzz", names), None);
        assert_eq!(nearest("web", names), None, "an exact name is no typo");
        assert_eq!(nearest("x", []), None);
    }

    #[test]
    fn an_excerpt_is_cut_on_a_character() {
        assert_eq!(excerpt("héllo world", 5), "héllo…");
        assert_eq!(excerpt("short", 10), "short");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1u32, "restart", "restarts"), "1 restart");
        assert_eq!(count(0u32, "restart", "restarts"), "0 restarts");
        assert_eq!(count(12u64, "event", "events"), "12 events");
    }

    #[test]
    fn a_pod_without_namespace_is_not_slash_name() {
        assert_eq!(qualified("", "web-1"), "web-1");
        assert_eq!(qualified("shop", "web-1"), "shop/web-1");
    }
}
