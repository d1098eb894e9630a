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

#[cfg(test)]
mod tests {
    use super::{count, excerpt, qualified};

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
