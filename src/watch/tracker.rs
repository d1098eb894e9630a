//! The state machine of `watch`, pure (time is an input, nothing is fetched): each pod's
//! health as the watch reports it, the `--settle` debounce (a pod must stay unhealthy that
//! long before it is diagnosed), flapping (a pod that turns unhealthy again and again without
//! ever holding is reported once), and the problems: pods grouped by the cause id and group
//! key of their top finding, as `report` groups them, so three replicas of one failure are
//! one problem. A problem is `new` when its first pod joins it, `changed` when it appears
//! because a pod's top cause changed, `resolved` when its last pod is healthy or gone.
//!
//! Only pods that are unhealthy, or that were recently, are kept: memory follows the
//! problems, not the cluster.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// A problem: the cause id and group key of its pods' top finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProblemId {
    pub cause: String,
    pub key: String,
}

/// How often a pod must turn unhealthy within [`Tracker::flap_window`] without holding for
/// `--settle` before it is reported as flapping.
pub const FLAP_ONSETS: usize = 3;

/// A change to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A problem appeared; `pod` is the pod that brought it.
    New { problem: ProblemId, pod: String },
    /// A problem appeared because `pod`'s top cause changed from `previous`.
    Changed {
        problem: ProblemId,
        previous: ProblemId,
        pod: String,
    },
    /// A problem's last pod is healthy again or gone.
    Resolved { problem: ProblemId, pod: String },
    /// A pod turned unhealthy `onsets` times without holding for `--settle`.
    Flapping { pod: String, onsets: usize },
}

/// What the tracker knows of one pod.
#[derive(Debug, Clone)]
struct PodState {
    unhealthy: bool,
    /// When it entered its current health.
    since: Instant,
    /// The STATUS column when last seen.
    status: String,
    /// When it turned unhealthy, within the flap window.
    onsets: Vec<Instant>,
    /// The status it was diagnosed at (a diagnosis asked for or done), if any.
    diagnosed_at: Option<String>,
    /// Reported as flapping in this episode.
    flap_reported: bool,
}

/// Pods to diagnose now, and flapping pods to report.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Due {
    pub diagnose: Vec<String>,
    pub changes: Vec<Change>,
}

/// Pods, their problems, and the debounce.
#[derive(Debug)]
pub struct Tracker {
    settle: Duration,
    pods: HashMap<String, PodState>,
    /// Problem -> its pods (`namespace/name`).
    problems: HashMap<ProblemId, BTreeSet<String>>,
    /// Pod -> its problem.
    pod_problem: HashMap<String, ProblemId>,
    /// Problems that appeared as `changed` from another problem: that one's end is implied.
    replaced: BTreeSet<ProblemId>,
}

impl Tracker {
    pub fn new(settle: Duration) -> Tracker {
        Tracker {
            settle,
            pods: HashMap::new(),
            problems: HashMap::new(),
            pod_problem: HashMap::new(),
            replaced: BTreeSet::new(),
        }
    }

    /// How long onsets count towards flapping: ten settle times, at least ten seconds.
    pub fn flap_window(&self) -> Duration {
        (self.settle * 10).max(Duration::from_secs(10))
    }

    /// Pods kept (for the memory bound).
    #[cfg(test)]
    pub fn pods_kept(&self) -> usize {
        self.pods.len()
    }

    /// The problems now, with their pods.
    #[cfg(test)]
    pub fn problems(&self) -> impl Iterator<Item = (&ProblemId, &BTreeSet<String>)> {
        self.problems.iter()
    }

    /// The pods of a problem.
    pub fn pods_of(&self, problem: &ProblemId) -> Vec<String> {
        self.problems
            .get(problem)
            .map(|p| p.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The problem a pod is in.
    pub fn problem_of(&self, pod: &str) -> Option<&ProblemId> {
        self.pod_problem.get(pod)
    }

    /// Whether a pod is unhealthy now, as last seen.
    pub fn is_unhealthy(&self, pod: &str) -> bool {
        self.pods.get(pod).is_some_and(|p| p.unhealthy)
    }

    /// A pod as the watch sees it now. A pod turning healthy leaves its problem (which may
    /// resolve); a pod turning unhealthy starts its settle time.
    pub fn observe(
        &mut self,
        pod: &str,
        unhealthy: bool,
        status: &str,
        now: Instant,
    ) -> Vec<Change> {
        let window = self.flap_window();
        match self.pods.get_mut(pod) {
            None if !unhealthy => Vec::new(),
            None => {
                self.pods.insert(
                    pod.to_string(),
                    PodState {
                        unhealthy: true,
                        since: now,
                        status: status.to_string(),
                        onsets: vec![now],
                        diagnosed_at: None,
                        flap_reported: false,
                    },
                );
                Vec::new()
            }
            Some(state) => {
                state.status = status.to_string();
                if state.unhealthy == unhealthy {
                    return Vec::new();
                }
                state.unhealthy = unhealthy;
                state.since = now;
                if unhealthy {
                    state
                        .onsets
                        .retain(|t| now.saturating_duration_since(*t) <= window);
                    state.onsets.push(now);
                    state.diagnosed_at = None;
                    Vec::new()
                } else {
                    state.diagnosed_at = None;
                    self.leave(pod)
                }
            }
        }
    }

    /// Diagnose an unhealthy pod again at the next [`Tracker::due`] (a new Warning reason,
    /// its node's Ready changed): its top cause may have changed.
    pub fn recheck(&mut self, pod: &str) {
        if let Some(state) = self.pods.get_mut(pod).filter(|s| s.unhealthy) {
            state.diagnosed_at = None;
        }
    }

    /// A pod deleted: it leaves its problem and is forgotten.
    pub fn deleted(&mut self, pod: &str) -> Vec<Change> {
        let changes = self.leave(pod);
        self.pods.remove(pod);
        changes
    }

    /// A pod that was unhealthy when the watch started and is in a known problem already
    /// (reported on the first line, not as `new`).
    pub fn seed(&mut self, pod: &str, status: &str, problem: ProblemId, now: Instant) {
        self.pods.insert(
            pod.to_string(),
            PodState {
                unhealthy: true,
                since: now,
                status: status.to_string(),
                onsets: Vec::new(),
                diagnosed_at: Some(status.to_string()),
                flap_reported: false,
            },
        );
        self.join(pod, problem);
    }

    /// The pods whose settle time has passed (to diagnose: newly unhealthy ones, and those
    /// whose status changed since their diagnosis), flapping pods (reported once), and
    /// healthy pods whose flap window has passed forgotten.
    pub fn due(&mut self, now: Instant) -> Due {
        let settle = self.settle;
        let window = self.flap_window();
        let mut due = Due::default();
        let mut forget = Vec::new();
        for (name, state) in &mut self.pods {
            let held = now.saturating_duration_since(state.since) >= settle;
            state
                .onsets
                .retain(|t| now.saturating_duration_since(*t) <= window);
            if state.unhealthy && held {
                if state.diagnosed_at.as_deref() != Some(state.status.as_str()) {
                    state.diagnosed_at = Some(state.status.clone());
                    due.diagnose.push(name.clone());
                }
                continue;
            }
            if !state.flap_reported && state.onsets.len() >= FLAP_ONSETS && !held {
                state.flap_reported = true;
                due.changes.push(Change::Flapping {
                    pod: name.clone(),
                    onsets: state.onsets.len(),
                });
            }
            if !state.unhealthy && state.onsets.is_empty() && held {
                forget.push(name.clone());
            }
        }
        for name in forget {
            self.pods.remove(&name);
        }
        due.diagnose.sort();
        due.changes
            .sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        due
    }

    /// When [`Tracker::due`] next has something to do, if ever without a new observation.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.pods
            .values()
            .filter_map(|s| {
                if s.unhealthy && s.diagnosed_at.as_deref() != Some(s.status.as_str()) {
                    Some(s.since + self.settle)
                } else if !s.unhealthy {
                    // Forgotten once healthy for the settle time and out of the flap window.
                    Some(
                        (s.since + self.settle).max(
                            s.onsets
                                .iter()
                                .max()
                                .map_or(s.since, |t| *t + self.flap_window()),
                        ),
                    )
                } else {
                    None
                }
            })
            .min()
    }

    /// A diagnosis of a pod came back: its top finding's problem (`None`: no problem to
    /// report, a pod silenced or healthy by then). Ignored when the pod is healthy or gone
    /// by now (its change was said already).
    pub fn diagnosed(&mut self, pod: &str, problem: Option<ProblemId>) -> Vec<Change> {
        if !self.is_unhealthy(pod) {
            return Vec::new();
        }
        let previous = self.pod_problem.get(pod).cloned();
        if previous == problem {
            return Vec::new();
        }
        let mut changes = Vec::new();
        let Some(problem) = problem else {
            return self.leave(pod);
        };
        let is_new = !self.problems.contains_key(&problem);
        if let Some(prev) = &previous {
            self.remove_from(pod, prev);
        }
        self.join(pod, problem.clone());
        match (is_new, &previous) {
            (true, Some(prev)) => {
                self.replaced.insert(prev.clone());
                changes.push(Change::Changed {
                    problem: problem.clone(),
                    previous: prev.clone(),
                    pod: pod.to_string(),
                });
            }
            (true, None) => changes.push(Change::New {
                problem: problem.clone(),
                pod: pod.to_string(),
            }),
            (false, _) => {}
        }
        // The problem the pod left may be empty now.
        if let Some(prev) = previous
            && !self.problems.contains_key(&prev)
            && !self.replaced.remove(&prev)
        {
            changes.push(Change::Resolved {
                problem: prev,
                pod: pod.to_string(),
            });
        }
        changes
    }

    fn join(&mut self, pod: &str, problem: ProblemId) {
        self.problems
            .entry(problem.clone())
            .or_default()
            .insert(pod.to_string());
        self.pod_problem.insert(pod.to_string(), problem);
    }

    /// Removes the pod from its problem; `true` when that emptied it.
    fn remove_from(&mut self, pod: &str, problem: &ProblemId) -> bool {
        self.pod_problem.remove(pod);
        let Some(pods) = self.problems.get_mut(problem) else {
            return false;
        };
        pods.remove(pod);
        if pods.is_empty() {
            self.problems.remove(problem);
            return true;
        }
        false
    }

    /// The pod leaves its problem; the problem resolves when it was the last.
    fn leave(&mut self, pod: &str) -> Vec<Change> {
        let Some(problem) = self.pod_problem.get(pod).cloned() else {
            return Vec::new();
        };
        if self.remove_from(pod, &problem) {
            self.replaced.remove(&problem);
            return vec![Change::Resolved {
                problem,
                pod: pod.to_string(),
            }];
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(base: Instant, ms: u64) -> Instant {
        base + Duration::from_millis(ms)
    }

    fn id(cause: &str, key: &str) -> ProblemId {
        ProblemId {
            cause: cause.into(),
            key: key.into(),
        }
    }

    #[test]
    fn a_problem_is_diagnosed_only_once_it_held_for_the_settle_time() {
        let t0 = Instant::now();
        let mut t = Tracker::new(Duration::from_secs(2));
        assert!(
            t.observe("shop/web-1", true, "CrashLoopBackOff", t0)
                .is_empty()
        );
        assert!(t.due(at(t0, 1_000)).diagnose.is_empty(), "not held yet");
        assert_eq!(t.next_deadline(), Some(at(t0, 2_000)));
        assert_eq!(t.due(at(t0, 2_000)).diagnose, vec!["shop/web-1"]);
        assert!(t.due(at(t0, 3_000)).diagnose.is_empty(), "asked once");
        let changes = t.diagnosed("shop/web-1", Some(id("crash.oom", "shop/web")));
        assert_eq!(
            changes,
            vec![Change::New {
                problem: id("crash.oom", "shop/web"),
                pod: "shop/web-1".into()
            }]
        );
        // Healthy again: resolved.
        let changes = t.observe("shop/web-1", false, "Running", at(t0, 4_000));
        assert_eq!(
            changes,
            vec![Change::Resolved {
                problem: id("crash.oom", "shop/web"),
                pod: "shop/web-1".into()
            }]
        );
    }

    #[test]
    fn a_blip_shorter_than_the_settle_time_is_not_reported() {
        let t0 = Instant::now();
        let mut t = Tracker::new(Duration::from_secs(2));
        t.observe("shop/web-1", true, "Error", t0);
        t.observe("shop/web-1", false, "Running", at(t0, 500));
        assert_eq!(t.due(at(t0, 5_000)), Due::default());
    }

    #[test]
    fn replicas_with_one_cause_are_one_problem_resolved_when_the_last_recovers() {
        let t0 = Instant::now();
        let mut t = Tracker::new(Duration::from_secs(1));
        for p in ["shop/web-1", "shop/web-2", "shop/web-3"] {
            t.observe(p, true, "CrashLoopBackOff", t0);
        }
        let due = t.due(at(t0, 1_000));
        assert_eq!(due.diagnose.len(), 3);
        let problem = id("crash.oom", "shop/web");
        let mut changes = Vec::new();
        for p in &due.diagnose {
            changes.extend(t.diagnosed(p, Some(problem.clone())));
        }
        assert_eq!(changes.len(), 1, "one problem: {changes:?}");
        assert_eq!(t.pods_of(&problem).len(), 3);
        assert!(
            t.observe("shop/web-1", false, "Running", at(t0, 2_000))
                .is_empty()
        );
        assert!(t.deleted("shop/web-2").is_empty());
        let last = t.observe("shop/web-3", false, "Running", at(t0, 2_000));
        assert!(matches!(last.as_slice(), [Change::Resolved { .. }]));
    }

    #[test]
    fn a_pod_that_never_settles_is_reported_once_as_flapping() {
        let t0 = Instant::now();
        let mut t = Tracker::new(Duration::from_secs(2));
        let mut flaps = Vec::new();
        for i in 0..6u64 {
            t.observe("shop/web-1", true, "Error", at(t0, i * 1_000));
            flaps.extend(t.due(at(t0, i * 1_000 + 500)).changes);
            t.observe("shop/web-1", false, "Running", at(t0, i * 1_000 + 600));
            let due = t.due(at(t0, i * 1_000 + 700));
            assert!(due.diagnose.is_empty());
            flaps.extend(due.changes);
        }
        assert_eq!(
            flaps,
            vec![Change::Flapping {
                pod: "shop/web-1".into(),
                onsets: FLAP_ONSETS
            }]
        );
        // Healthy long enough: forgotten.
        t.due(at(t0, 60_000));
        assert_eq!(t.pods_kept(), 0);
    }

    #[test]
    fn a_new_top_cause_is_a_changed_problem_and_the_old_one_ends_silently() {
        let t0 = Instant::now();
        let mut t = Tracker::new(Duration::from_secs(1));
        t.observe("shop/web-1", true, "ImagePullBackOff", t0);
        t.due(at(t0, 1_000));
        t.diagnosed("shop/web-1", Some(id("image.not_found", "shop/web")));
        // The status changes: diagnosed again after the settle time.
        t.observe("shop/web-1", true, "CrashLoopBackOff", at(t0, 1_500));
        assert_eq!(t.due(at(t0, 1_600)).diagnose, vec!["shop/web-1"]);
        let changes = t.diagnosed("shop/web-1", Some(id("crash.oom", "shop/web")));
        assert_eq!(
            changes,
            vec![Change::Changed {
                problem: id("crash.oom", "shop/web"),
                previous: id("image.not_found", "shop/web"),
                pod: "shop/web-1".into()
            }]
        );
        let end = t.observe("shop/web-1", false, "Running", at(t0, 3_000));
        assert_eq!(
            end,
            vec![Change::Resolved {
                problem: id("crash.oom", "shop/web"),
                pod: "shop/web-1".into()
            }]
        );
    }

    #[test]
    fn a_diagnosis_that_comes_back_after_recovery_is_dropped() {
        let t0 = Instant::now();
        let mut t = Tracker::new(Duration::from_secs(1));
        t.observe("shop/web-1", true, "Error", t0);
        t.due(at(t0, 1_000));
        t.observe("shop/web-1", false, "Running", at(t0, 1_100));
        assert!(
            t.diagnosed("shop/web-1", Some(id("crash.exit", "shop/web")))
                .is_empty()
        );
        assert_eq!(t.problems().count(), 0);
    }

    #[test]
    fn a_seeded_problem_resolves_without_having_been_new() {
        let t0 = Instant::now();
        let mut t = Tracker::new(Duration::from_secs(1));
        t.seed("shop/db-0", "Pending", id("sched.cpu", "shop/db"), t0);
        assert_eq!(t.due(at(t0, 5_000)), Due::default());
        let end = t.deleted("shop/db-0");
        assert!(matches!(end.as_slice(), [Change::Resolved { .. }]));
        assert_eq!(t.pods_kept(), 0);
    }
}
