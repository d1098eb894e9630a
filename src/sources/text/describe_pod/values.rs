//! Values of `kubectl describe pod` fields: numbers with trailing words, DNS names,
//! environment references, probes, times and the deletion a status line shows.

use jiff::Timestamp;

/// `143          <- SIGTERM` -> 143: the number a value starts with (people annotate).
pub(super) fn leading_number(v: &str) -> Option<i32> {
    let t = v.trim();
    let end = t
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
        .map_or(t.len(), |(i, _)| i);
    t[..end].parse().ok()
}

pub(super) fn is_dns_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' || c == '_'
        })
}

/// `<set to the key 'password' in secret 'db-credentials'>` -> `secret/db-credentials`.
pub(super) fn env_ref(v: &str) -> Option<String> {
    let (kind, rest) = if let Some(r) = v.split_once(" in secret '") {
        ("secret", r.1)
    } else if let Some(r) = v.split_once(" of config map '") {
        ("configMap", r.1)
    } else {
        return None;
    };
    let name = rest.split('\'').next()?;
    Some(format!("{kind}/{name}"))
}

/// `NAME:  value` in a container's `Environment:` block -> (`NAME`, `value`): a name of
/// printable characters without `=` or `:` (any length, unlike other keys), then a colon
/// and white space or the end.
pub(super) fn env_var(line: &str) -> Option<(&str, &str)> {
    let (name, rest) = line.trim().split_once(':')?;
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'=' && b != b':');
    (name_ok && (rest.is_empty() || rest.starts_with(char::is_whitespace)))
        .then(|| (name, rest.trim()))
}

/// The literal value of an environment variable as describe prints it; `None` for a
/// reference: `<set to the key 'k' in secret 's'>  Optional: false`, `<set to the key 'k'
/// of config map 'c'>`, a field (`web-1 (v1:metadata.name)`, `(v1:status.podIP)`) or a
/// resource (`512Mi (limits.memory)`, `node allocatable (limits.cpu)`).
pub(super) fn env_literal(value: &str) -> Option<&str> {
    if value.starts_with("<set to the key '") {
        return None;
    }
    let reference = value
        .strip_suffix(')')
        .and_then(|v| v.rsplit_once('('))
        .is_some_and(|(before, inner)| {
            let field = inner.split_once(':').is_some_and(|(api, path)| {
                !api.is_empty()
                    && api
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"./".contains(&b))
                    && !path.is_empty()
            });
            let resource = inner.starts_with("limits.") || inner.starts_with("requests.");
            (before.is_empty() || before.ends_with(' '))
                && !inner.contains(' ')
                && (field || resource)
        });
    (!reference).then_some(value)
}

/// `http-get http://:8080/healthz delay=10s timeout=1s period=10s #success=1 #failure=3`.
pub(super) fn parse_probe(v: &str) -> crate::evidence::Probe {
    let num = |key: &str| -> Option<i32> {
        v.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .map(|n| n.trim_end_matches('s'))
            .and_then(|n| n.parse().ok())
    };
    let action_end = v.find(" delay=").unwrap_or(v.len());
    crate::evidence::Probe {
        action: v[..action_end].trim().to_string(),
        initial_delay_seconds: num("delay=").unwrap_or(0),
        timeout_seconds: num("timeout=").unwrap_or(1),
        period_seconds: num("period=").unwrap_or(10),
        failure_threshold: num("#failure=").unwrap_or(3),
    }
}

/// `Wed, 20 Nov 2026 10:00:01 +0000` (kubectl's describe format).
pub fn parse_time(v: &str) -> Option<Timestamp> {
    let v = v.trim();
    // The weekday adds nothing and a hand-edited paste may get it wrong: drop it.
    let without_day = v.split_once(", ").map_or(v, |(_, rest)| rest);
    jiff::fmt::strtime::parse("%d %b %Y %H:%M:%S %z", without_day)
        .ok()
        .and_then(|t| t.to_timestamp().ok())
        .or_else(|| v.parse().ok())
}

/// `Terminating (expires Thu, 14 Apr 2016 09:31:50 +0000)` (the deletion time plus the
/// grace period), `Terminating (lasts 2d)` (how long before the text was taken), or just
/// `Terminating`.
pub(super) fn deletion(status: &str, grace: Option<&str>) -> crate::evidence::Deletion {
    let inner = status
        .split_once('(')
        .map(|(_, rest)| rest.trim_end_matches(')'))
        .unwrap_or_default();
    if let Some(expires) = inner.strip_prefix("expires ") {
        let grace_secs: i64 = grace
            .and_then(|g| g.trim_end_matches('s').parse().ok())
            .unwrap_or(30);
        let at = parse_time(expires).and_then(|t| {
            t.checked_sub(jiff::SignedDuration::from_secs(grace_secs))
                .ok()
        });
        return crate::evidence::Deletion {
            at,
            age_seconds: None,
        };
    }
    crate::evidence::Deletion {
        at: None,
        age_seconds: inner
            .strip_prefix("lasts ")
            .and_then(crate::evidence::parse_age),
    }
}
