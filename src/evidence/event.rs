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
    let mut total: i64 = 0;
    let mut num: i64 = 0;
    let mut digits = 0;
    for ch in s.trim().chars() {
        if let Some(d) = ch.to_digit(10) {
            num = num.checked_mul(10)?.checked_add(i64::from(d))?;
            digits += 1;
            continue;
        }
        if digits == 0 {
            return None;
        }
        let unit: i64 = match ch {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            'y' => 365 * 86400,
            _ => return None,
        };
        total = total.checked_add(num.checked_mul(unit)?)?;
        num = 0;
        digits = 0;
    }
    (digits == 0 && !s.trim().is_empty()).then_some(total)
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
    }
}
