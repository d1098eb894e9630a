//! Globs as kubedoctor's files write them: `*` matches any run of characters, everything
//! else matches itself. Playbook statuses (`Init:*`) and the configuration's ignore rules
//! (`ci-*`) both use them.

/// `*` matches any run of characters; everything else matches itself.
pub fn matches(pattern: &str, text: &str) -> bool {
    // No allocation: it runs for every status glob of every playbook, for every pod.
    let Some((first, rest_pattern)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let (middle, last) = rest_pattern.rsplit_once('*').unwrap_or(("", rest_pattern));
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in middle.split('*') {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn stars_match_any_run() {
        assert!(matches("ci-*", "ci-runner"));
        assert!(matches("*", "anything"));
        assert!(matches("image.*", "image.rate-limit"));
        assert!(matches("a*b*c", "axxbyyc"));
        assert!(!matches("a*b*c", "axxbyy"));
        assert!(!matches("ci-*", "prod"));
        assert!(matches("exact", "exact"));
        assert!(!matches("ab*ba", "aba"), "the ends may not overlap");
        assert!(matches("Init:*", "Init:0/1"));
        assert!(!matches("a.b", "axb"), "only `*` is special");
    }
}
