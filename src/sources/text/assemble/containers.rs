//! The name and image of a pod's one container when the paste showed the pod only as a row:
//! the kubelet names the container in its events (`Back-off restarting failed container %s
//! in pod %s`, `Created container %s` and, from 1.31, `Created container: %s`, `Started
//! container %s`, `Container %s failed liveness probe`) and the image in its pull events
//! (`Pulling image %q`, `Failed to pull image %q`, `Back-off pulling image %q`, `Successfully
//! pulled image %q`, `Container image %q already present on machine`).

use crate::evidence::Pod;
use regex::Regex;
use std::sync::LazyLock;

/// The kubelet's event messages that name a container (`pkg/kubelet/kuberuntime`,
/// `pkg/kubelet/events`), across versions.
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:Back-off restarting failed container (?P<a>[a-z0-9][-a-z0-9]*) in pod|(?:Created|Started|Stopping) container:? (?P<b>[a-z0-9][-a-z0-9]*)$|Container (?P<c>[a-z0-9][-a-z0-9]*) (?:failed (?:liveness|startup) probe|definition changed))",
    )
    .expect("valid container-naming regex")
});

/// The kubelet's image pull events (`pkg/kubelet/images/image_manager.go`), across versions.
static IMAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^(?:Pulling image|Failed to pull image|Back-off pulling image|Successfully pulled image|Container image) "(?P<image>[^"]+)""#,
    )
    .expect("valid image-naming regex")
});

/// Names the unnamed container of a one-container pod from its events, when they all name
/// the same container, and gives it the image its pull events all name.
pub(super) fn name_from_events(pods: &mut [Pod]) {
    for pod in pods.iter_mut() {
        image_from_events(pod);
        let [c] = pod.containers.as_slice() else {
            continue;
        };
        if !c.name.is_empty() {
            continue;
        }
        let mut names = pod.events.iter().filter_map(|e| {
            let caps = NAMED.captures(e.message.trim())?;
            ["a", "b", "c"]
                .iter()
                .find_map(|g| caps.name(g))
                .map(|m| m.as_str().to_string())
        });
        let Some(first) = names.next() else {
            continue;
        };
        if names.all(|n| n == first) {
            pod.containers[0].name = first;
        }
    }
}

/// The image of a one-container pod whose container shows none.
fn image_from_events(pod: &mut Pod) {
    let [c] = pod.containers.as_slice() else {
        return;
    };
    if !c.image.is_empty() {
        return;
    }
    let mut images = pod.events.iter().filter_map(|e| {
        IMAGE
            .captures(e.message.trim())
            .map(|caps| caps["image"].to_string())
    });
    let Some(first) = images.next() else {
        return;
    };
    if images.all(|i| i == first) {
        pod.containers[0].image = first;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{Container, Event};

    fn pod_with(messages: &[&str]) -> Pod {
        Pod {
            containers: vec![Container::default()],
            events: messages
                .iter()
                .map(|m| Event {
                    message: m.to_string(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn the_kubelets_events_name_the_container() {
        let mut pods = [
            pod_with(&["Back-off restarting failed container api in pod api-1_shop(uid)"]),
            pod_with(&["Created container: worker", "Started container worker"]),
            pod_with(&["Started container a", "Started container b"]),
        ];
        name_from_events(&mut pods);
        assert_eq!(pods[0].containers[0].name, "api");
        assert_eq!(pods[1].containers[0].name, "worker");
        assert_eq!(pods[2].containers[0].name, "");
    }

    #[test]
    fn the_kubelets_pull_events_name_the_image() {
        let mut pods = [
            pod_with(&[
                "Pulling image \"registry.example.com/shop/checkout:2.4.1\"",
                "Back-off pulling image \"registry.example.com/shop/checkout:2.4.1\"",
            ]),
            pod_with(&["Pulling image \"a:1\"", "Pulling image \"b:1\""]),
        ];
        name_from_events(&mut pods);
        assert_eq!(
            pods[0].containers[0].image,
            "registry.example.com/shop/checkout:2.4.1"
        );
        assert_eq!(pods[1].containers[0].image, "");
    }
}
