//! Pods indexed by namespace and label, so that matching every Service's selector costs
//! the size of the smallest posting list of its terms, not the namespace's pod count.

use crate::evidence::Pod;
use std::collections::{BTreeMap, HashMap};

/// Pods by namespace, then by `key` and `value` of each label.
pub struct PodIndex<'a> {
    pods: &'a [Pod],
    by_namespace: HashMap<&'a str, Namespace<'a>>,
}

#[derive(Default)]
struct Namespace<'a> {
    /// Every pod of the namespace, by index into `pods`.
    all: Vec<usize>,
    labels: HashMap<(&'a str, &'a str), Vec<usize>>,
}

/// The pods a selector matches, or the pod that comes nearest when none does.
pub struct Selection<'a> {
    pub matched: Vec<&'a Pod>,
    /// Pods of the namespace the evidence lists.
    pub listed: usize,
    /// When nothing matched: the pod satisfying the most terms (at least one), and the first
    /// term it does not satisfy with the pod's own value for that key.
    pub nearest: Option<Nearest<'a>>,
}

/// The pod nearest to a selector that matches none.
pub struct Nearest<'a> {
    pub pod: &'a Pod,
    pub term: (String, String),
    /// The pod's value for the term's key (`None`: it has no such label).
    pub has: Option<&'a str>,
}

impl<'a> PodIndex<'a> {
    pub fn new(pods: &'a [Pod]) -> PodIndex<'a> {
        let mut by_namespace: HashMap<&str, Namespace> = HashMap::new();
        for (i, p) in pods.iter().enumerate() {
            let ns = by_namespace.entry(p.namespace.as_str()).or_default();
            ns.all.push(i);
            for (k, v) in &p.labels {
                ns.labels.entry((k, v)).or_default().push(i);
            }
        }
        PodIndex { pods, by_namespace }
    }

    /// The pods of `namespace` whose labels hold every term of `selector` (an empty selector
    /// selects nothing: such a Service has hand-made endpoints).
    pub fn select(&self, namespace: &str, selector: &BTreeMap<String, String>) -> Selection<'a> {
        let Some(ns) = self.by_namespace.get(namespace) else {
            return Selection {
                matched: Vec::new(),
                listed: 0,
                nearest: None,
            };
        };
        let listed = ns.all.len();
        if selector.is_empty() {
            return Selection {
                matched: Vec::new(),
                listed,
                nearest: None,
            };
        }
        let postings: Vec<&[usize]> = selector
            .iter()
            .map(|(k, v)| {
                ns.labels
                    .get(&(k.as_str(), v.as_str()))
                    .map_or(&[][..], Vec::as_slice)
            })
            .collect();
        let smallest = postings
            .iter()
            .min_by_key(|p| p.len())
            .copied()
            .unwrap_or(&[]);
        let matched: Vec<&Pod> = smallest
            .iter()
            .map(|&i| &self.pods[i])
            .filter(|p| holds(p, selector))
            .collect();
        let nearest = if matched.is_empty() {
            self.nearest(&ns.all, selector)
        } else {
            None
        };
        Selection {
            matched,
            listed,
            nearest,
        }
    }

    /// The pod that comes nearest: the most terms satisfied, then the most of the
    /// selector's keys present, then the values spelled most alike (a typo); ties go to the
    /// first listed.
    /// Only Services that match nothing ask, so the scan of one namespace stays rare.
    fn nearest(&self, all: &[usize], selector: &BTreeMap<String, String>) -> Option<Nearest<'a>> {
        let score = |pod: &Pod| {
            let held = selector
                .iter()
                .filter(|(k, v)| pod.labels.get(*k) == Some(*v))
                .count();
            let keys = selector
                .keys()
                .filter(|k| pod.labels.contains_key(*k))
                .count();
            // A value spelled nearly the same (a typo) comes nearer than another value.
            let likeness: f64 = selector
                .iter()
                .filter_map(|(k, v)| Some(strsim::normalized_levenshtein(pod.labels.get(k)?, v)))
                .sum();
            (held, keys, (likeness * 1000.0) as usize)
        };
        let mut best: Option<(&Pod, (usize, usize, usize))> = None;
        for &i in all {
            let pod = &self.pods[i];
            let s = score(pod);
            if (s.0, s.1) > (0, 0) && best.is_none_or(|(_, b)| s > b) {
                best = Some((pod, s));
            }
        }
        let (pod, _) = best?;
        let (k, v) = selector
            .iter()
            .find(|(k, v)| pod.labels.get(*k) != Some(*v))?;
        Some(Nearest {
            pod,
            term: (k.clone(), v.clone()),
            has: pod.labels.get(k).map(String::as_str),
        })
    }
}

/// Whether a pod's labels hold every term.
fn holds(pod: &Pod, selector: &BTreeMap<String, String>) -> bool {
    selector.iter().all(|(k, v)| pod.labels.get(k) == Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(ns: &str, name: &str, labels: &[(&str, &str)]) -> Pod {
        Pod {
            namespace: ns.into(),
            name: name.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Pod::default()
        }
    }

    fn sel(terms: &[(&str, &str)]) -> BTreeMap<String, String> {
        terms
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_selector_matches_pods_of_its_namespace_holding_every_term() {
        let pods = [
            pod("shop", "web-1", &[("app", "web"), ("tier", "fe")]),
            pod("shop", "web-2", &[("app", "web")]),
            pod("other", "web-3", &[("app", "web"), ("tier", "fe")]),
        ];
        let index = PodIndex::new(&pods);
        let s = index.select("shop", &sel(&[("app", "web"), ("tier", "fe")]));
        let names: Vec<_> = s.matched.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["web-1"]);
        assert_eq!(s.listed, 2);
        assert!(s.nearest.is_none());
        assert!(index.select("shop", &sel(&[])).matched.is_empty());
    }

    #[test]
    fn with_no_match_the_nearest_pod_and_the_term_it_misses_are_named() {
        let pods = [
            pod("shop", "db-0", &[("app", "db")]),
            pod("shop", "web-1", &[("app", "web-frontnd"), ("tier", "fe")]),
        ];
        let index = PodIndex::new(&pods);
        let s = index.select("shop", &sel(&[("app", "web-frontend"), ("tier", "fe")]));
        assert!(s.matched.is_empty());
        let n = s.nearest.expect("a nearest pod");
        assert_eq!(n.pod.name, "web-1");
        assert_eq!(n.term, ("app".to_string(), "web-frontend".to_string()));
        assert_eq!(n.has, Some("web-frontnd"));
        // No pod holds any term: no nearest pod.
        assert!(index.select("shop", &sel(&[("x", "y")])).nearest.is_none());
        // A one-term selector: the pod with the key, its value spelled otherwise.
        let n = index
            .select("shop", &sel(&[("app", "web-frontend")]))
            .nearest;
        assert_eq!(n.map(|n| n.pod.name.as_str()), Some("web-1"));
        assert_eq!(index.select("nowhere", &sel(&[("x", "y")])).listed, 0);
    }
}
