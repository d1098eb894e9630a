//! A Kubernetes event, reduced to what a diagnosis quotes.

use jiff::Timestamp;

/// One event (possibly a series: `count` times between `first_seen` and `last_seen`).
#[derive(Debug, Clone, Default)]
pub struct Event {
    /// `Normal` or `Warning`.
    pub type_: String,
    pub reason: String,
    pub message: String,
    pub count: i32,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    /// The container named in `involvedObject.fieldPath` (`spec.containers{app}`).
    pub container: Option<String>,
    /// `kind/name` of the involved object, lower-case kind.
    pub object: String,
    /// Reporting component (`kubelet`, `default-scheduler`, ...).
    pub source: String,
    /// The host in an old-style source (`kubelet, worker-1`).
    pub source_host: Option<String>,
    /// The age as pasted text shows it (`3m2s`), when there is no timestamp.
    pub age: Option<String>,
}

impl Event {
    /// How long ago the event was last seen, from its timestamp (against `now`) or from
    /// the age pasted text showed (`3m2s`, `<unknown>` is unknown).
    pub fn seconds_ago(&self, now: Option<Timestamp>) -> Option<i64> {
        if let (Some(seen), Some(now)) = (self.last_seen, now) {
            return Some(now.as_second().saturating_sub(seen.as_second()));
        }
        parse_age(self.age.as_deref()?)
    }

    /// The line a report quotes: `Warning BackOff (x23): Back-off restarting failed container`.
    pub fn describe(&self) -> String {
        if self.reason.is_empty() {
            // A message pasted without its row.
            return self.message.trim().to_string();
        }
        let count = if self.count > 1 {
            format!(" (x{})", self.count)
        } else {
            String::new()
        };
        format!(
            "{} {}{}: {}",
            self.type_,
            self.reason,
            count,
            self.message.trim()
        )
    }
}

/// `3m2s`, `2d3h`, `45s`, `1y` in seconds (`None` for anything else or an overflow).
pub fn parse_age(s: &str) -> Option<i64> {
    let s = s.trim();
    // kubectl's ages are a run of number-unit pairs with no sign and no spaces; jiff's
    // friendly format also takes `3 hours` or `-3m`, which no age column prints.
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let span: jiff::Span = s.parse().ok()?;
    // kubectl counts a year as 365 days (apimachinery's HumanDuration); jiff needs a date to
    // count calendar years, so they are added here.
    let years = i64::from(span.get_years()).checked_mul(365 * 86_400)?;
    let rest = span
        .years(0)
        .total((
            jiff::Unit::Second,
            jiff::SpanRelativeTo::days_are_24_hours(),
        ))
        .ok()?;
    if rest.fract() != 0.0 {
        return None;
    }
    years.checked_add(rest as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(parse_age("3m2s"), Some(182));
        assert_eq!(parse_age("2d3h"), Some(2 * 86400 + 3 * 3600));
        assert_eq!(parse_age("x"), None);
        assert_eq!(parse_age(""), None);
        assert_eq!(parse_age("12"), None);
        assert_eq!(parse_age("99999999999999999999y"), None);
        assert_eq!(parse_age("99999999999999y"), None);
        assert_eq!(parse_age("5y30d"), Some(5 * 365 * 86400 + 30 * 86400));
        assert_eq!(parse_age("-3m"), None);
        assert_eq!(parse_age("3 hours"), None);
        assert_eq!(parse_age("<unknown>"), None);
    }
}
