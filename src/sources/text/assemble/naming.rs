//! How controllers name what they create: a ReplicaSet, Job or DaemonSet its pods
//! `<owner>-<5 random characters>` (`names.SimpleNameGenerator`), a StatefulSet
//! `<statefulset>-<ordinal>`, a Deployment its ReplicaSets `<deployment>-<pod-template-hash>`.
//! One place for the text reader, which often sees pods by name alone.

/// The random suffix of a generated name: five lower-case letters or digits.
pub(super) fn random_suffix(s: &str) -> bool {
    s.len() == 5
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// A StatefulSet pod's ordinal.
pub(super) fn ordinal(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A pod-template hash (as a ReplicaSet name's suffix).
pub(super) fn template_hash(s: &str) -> bool {
    (6..=10).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Whether `name` is `prefix-<suffix>` with a suffix of the given shape.
pub(super) fn named_after(name: &str, prefix: &str, suffix: impl Fn(&str) -> bool) -> bool {
    name.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(suffix)
}

/// The name a pod shares with its siblings: `api-5b8c7d6e5` for `api-5b8c7d6e5-zz9kq`, `db`
/// for a StatefulSet's `db-0`; a name of no generated shape is its own.
pub(super) fn owner_prefix(name: &str) -> &str {
    match name.rsplit_once('-') {
        Some((prefix, suffix))
            if !prefix.is_empty() && (random_suffix(suffix) || ordinal(suffix)) =>
        {
            prefix
        }
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_names_and_their_owners() {
        assert_eq!(owner_prefix("api-5b8c7d6e5-zz9kq"), "api-5b8c7d6e5");
        assert_eq!(owner_prefix("db-0"), "db");
        assert_eq!(owner_prefix("standalone"), "standalone");
        assert!(named_after("api-6f7b9c8d4", "api", template_hash));
        assert!(named_after("db-12", "db", ordinal));
        assert!(!named_after("db-", "db", ordinal));
        assert!(!named_after("api-6f7b9c8d4-m3n4p", "api", random_suffix));
    }
}
