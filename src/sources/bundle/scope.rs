//! The `scope` of a bundle's `bundle.json`, read back: which namespaces its lists cover and
//! whether its pod list is complete there. `kubedoctor capture` writes `all namespaces` or
//! `namespace NAME`, followed by `, selector SELECTOR` and `, targets T1 T2` when the pods
//! were narrowed (then `pods.json` holds only some pods of the namespace). Anything else is
//! an unknown scope: no list is taken as complete.

use crate::evidence::{Listed, Pod};

/// What a bundle's scope says.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The namespaces every list of the bundle covers.
    pub namespaces: Listed,
    /// The pods were not narrowed by a selector or targets.
    pub pods_complete: bool,
}

/// Reads a scope. Older captures wrote `the context's namespace` without naming it: the
/// namespace is then the one all the bundle's pods are in, when they share one.
pub fn parse(scope: &str, pods: &[Pod]) -> Scope {
    let mut parts = scope.split(", ");
    let head = parts.next().unwrap_or_default().trim();
    let narrowed = parts.any(|p| p.starts_with("selector ") || p.starts_with("targets "));
    let mut namespaces = Listed::default();
    if head == "all namespaces" {
        namespaces.all = true;
    } else if let Some(ns) = head.strip_prefix("namespace ") {
        let ns = ns.trim();
        if ns.is_empty() || ns.contains(char::is_whitespace) {
            return Scope::default();
        }
        namespaces.add(ns);
    } else if head == "the context's namespace" {
        let mut names = pods.iter().map(|p| p.namespace.as_str());
        match names.next() {
            Some(first) if names.all(|n| n == first) => namespaces.add(first),
            _ => return Scope::default(),
        }
    } else {
        return Scope::default();
    }
    Scope {
        namespaces,
        pods_complete: !narrowed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ns(all: bool, names: &[&str]) -> Listed {
        Listed {
            all,
            namespaces: names.iter().map(|n| n.to_string()).collect(),
        }
    }

    #[test]
    fn scopes_as_capture_writes_them() {
        let all = parse("all namespaces", &[]);
        assert_eq!((all.namespaces, all.pods_complete), (ns(true, &[]), true));
        let shop = parse("namespace shop", &[]);
        assert_eq!(
            (shop.namespaces, shop.pods_complete),
            (ns(false, &["shop"]), true)
        );
        let narrowed = parse("namespace shop, selector app=web,tier in (a,b)", &[]);
        assert_eq!(narrowed.namespaces, ns(false, &["shop"]));
        assert!(!narrowed.pods_complete);
        let node = parse("all namespaces, targets node/worker-1", &[]);
        assert!(node.namespaces.all && !node.pods_complete);
    }

    #[test]
    fn unknown_scopes_cover_nothing() {
        for s in [
            "",
            "everything",
            "namespace ",
            "namespace a b",
            "namespaces shop",
        ] {
            assert_eq!(parse(s, &[]), Scope::default(), "{s:?}");
        }
        // The context's namespace, named by the pods when they share one.
        let pod = |ns: &str| Pod {
            namespace: ns.into(),
            ..Pod::default()
        };
        let one = parse("the context's namespace", &[pod("shop"), pod("shop")]);
        assert_eq!(one.namespaces, ns(false, &["shop"]));
        let two = parse("the context's namespace", &[pod("shop"), pod("ops")]);
        assert_eq!(two, Scope::default());
    }
}
