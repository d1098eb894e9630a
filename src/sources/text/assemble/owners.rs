//! Owners of pods a paste shows only by name (`get pods` rows): the controllers the same
//! paste lists (`get rs`, `get deploy`, `get sts`) own the pods named after them, as their
//! controllers name pods (`<replicaset>-<5 characters>`, `<statefulset>-<ordinal>`), and a
//! Deployment owns the ReplicaSets named `<deployment>-<hash>`. Without such a listing the
//! owner stays unknown: a name alone is not evidence.

use super::naming::{named_after, ordinal, random_suffix, template_hash};
use crate::evidence::{Controller, Owner, Pod, object_ref};

/// The controllers other pods name as their owners (`Controlled By: ReplicaSet/web-7d9c`
/// in a describe, `ownerReferences` in YAML): a row of a sibling pod belongs to them too.
fn named_by_pods(pods: &[Pod]) -> Vec<Controller> {
    let mut out: Vec<Controller> = Vec::new();
    for p in pods {
        let Some(owner) = &p.owner else {
            continue;
        };
        for reference in &owner.chain {
            let Some((kind, name)) = reference.split_once('/') else {
                continue;
            };
            let Some(k) = crate::sources::text::kinds::by_name(kind) else {
                continue;
            };
            let c = Controller {
                namespace: p.namespace.clone(),
                kind: k.kind.to_string(),
                name: name.to_string(),
                ..Default::default()
            };
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// Sets the owner of each pod without one from the controllers the text lists or other
/// pods name as their owners.
pub(super) fn from_controllers(pods: &mut [Pod], listed: &[Controller]) {
    let mut controllers = listed.to_vec();
    controllers.extend(named_by_pods(pods));
    if controllers.is_empty() {
        return;
    }
    let same_ns = |c: &Controller, p: &Pod| {
        c.namespace.is_empty() || p.namespace.is_empty() || c.namespace == p.namespace
    };
    for pod in pods
        .iter_mut()
        .filter(|p| p.owner.is_none() && !p.name.is_empty())
    {
        let owner = controllers.iter().find(|c| {
            same_ns(c, pod)
                && match c.kind.as_str() {
                    "ReplicaSet" | "DaemonSet" | "Job" | "ReplicationController" => {
                        named_after(&pod.name, &c.name, random_suffix)
                    }
                    "StatefulSet" => named_after(&pod.name, &c.name, ordinal),
                    _ => false,
                }
        });
        let Some(owner) = owner else {
            continue;
        };
        let mut chain = vec![object_ref(&owner.kind, &owner.name)];
        let mut top = (owner.kind.to_lowercase(), owner.name.clone());
        if owner.kind == "ReplicaSet"
            && let Some(d) = controllers.iter().find(|d| {
                d.kind == "Deployment"
                    && same_ns(d, pod)
                    && named_after(&owner.name, &d.name, template_hash)
            })
        {
            chain.push(object_ref("Deployment", &d.name));
            top = ("deployment".into(), d.name.clone());
        }
        pod.owner = Some(Owner {
            kind: top.0,
            name: top.1,
            chain,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn controller(kind: &str, name: &str) -> Controller {
        Controller {
            namespace: "shop".into(),
            kind: kind.into(),
            name: name.into(),
            ..Default::default()
        }
    }

    fn pod(name: &str) -> Pod {
        Pod {
            namespace: "shop".into(),
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_siblings_owner_owns_a_row_named_like_it() {
        let mut described = pod("web-7d9c5b8f6-x2k4p");
        described.owner = Some(Owner {
            kind: "deployment".into(),
            name: "web".into(),
            chain: vec!["replicaset/web-7d9c5b8f6".into(), "deployment/web".into()],
        });
        let mut pods = [described, pod("web-7d9c5b8f6-q8r2m")];
        from_controllers(&mut pods, &[]);
        let o = pods[1].owner.clone().unwrap();
        assert_eq!(o.chain, ["replicaset/web-7d9c5b8f6", "deployment/web"]);
    }

    #[test]
    fn listed_controllers_own_the_pods_named_after_them() {
        let controllers = [
            controller("ReplicaSet", "api-6f7b9c8d4"),
            controller("Deployment", "api"),
            controller("StatefulSet", "db"),
        ];
        let mut pods = [pod("api-6f7b9c8d4-m3n4p"), pod("db-0"), pod("cache-1")];
        from_controllers(&mut pods, &controllers);
        let o = pods[0].owner.clone().unwrap();
        assert_eq!((o.kind.as_str(), o.name.as_str()), ("deployment", "api"));
        assert_eq!(o.chain, ["replicaset/api-6f7b9c8d4", "deployment/api"]);
        assert_eq!(pods[1].owner.clone().unwrap().chain, ["statefulset/db"]);
        assert!(pods[2].owner.is_none());
    }
}
