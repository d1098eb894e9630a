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

#[test]
fn a_context_namespace_set_in_the_session_applies_to_later_commands() {
    let text = "$ kubectl config set-context --current --namespace=shop
Context \"dev\" modified.
$ kubectl get pods
NAME                  READY   STATUS    RESTARTS   AGE
web-7d9c5b8f6-x2k4p   1/1     Running   0          2d
$ kubectl get events
LAST SEEN   TYPE      REASON    OBJECT                    MESSAGE
3m          Warning   BackOff   pod/api-5b8c7d6e5-zz9kq   Back-off restarting failed container api in pod api-5b8c7d6e5-zz9kq_shop(2c2d3e4f-aaaa-bbbb-cccc-1234567890ab)
";
    let ev = read(&[Input {
        name: "session.txt".into(),
        text: text.into(),
        role: Role::Auto,
    }])
    .unwrap();
    // The rows are in `shop`, and `get pods` is shop's inventory: the pod named only by an
    // event there is an earlier one.
    let names: Vec<String> = ev.pods.iter().map(|p| p.key()).collect();
    assert_eq!(names, ["shop/web-7d9c5b8f6-x2k4p"]);
    assert!(
        ev.notes.iter().any(|n| n.contains("earlier pod")),
        "{:?}",
        ev.notes
    );
}
