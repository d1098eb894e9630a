//! Reader tests across modules: a paste goes in, the evidence that comes out is checked.

use super::{Input, Role, read};
use crate::evidence::Evidence;

fn evidence(text: &str) -> Evidence {
    read(&[Input {
        name: "paste".into(),
        text: text.into(),
        role: Role::Auto,
    }])
    .expect("readable paste")
}

#[test]
fn a_wrapped_pod_message_is_joined() {
    let ev = evidence(
        "Name:           q-7\nNamespace:      x\nStatus:         Failed\nReason:         Evicted\n\
         Message:        The node was low on resource: memory. Container\n                \
         worker was using 900Mi, request is 100Mi.\nContainers:\n  worker:\n    State:  Terminated\n",
    );
    let pod = &ev.pods[0];
    assert_eq!(
        pod.message.as_deref(),
        Some(
            "The node was low on resource: memory. Container worker was using 900Mi, request is 100Mi."
        )
    );
    assert_eq!(pod.containers.len(), 1);
}

#[test]
fn watch_rows_after_a_timestamp_give_the_latest_status() {
    let ev = evidence(
        "Wed 02 Sep 2020 11:00:01 AM UTC   0/1   ContainerCreating   0   1s\n\
         Wed 02 Sep 2020 11:00:03 AM UTC   0/1   ErrImagePull        0   3s\n\
         Wed 02 Sep 2020 11:00:09 AM UTC   0/1   ImagePullBackOff    0   9s\n",
    );
    assert_eq!(ev.pods.len(), 1);
    assert_eq!(ev.pods[0].status_hint.as_deref(), Some("ImagePullBackOff"));
}
