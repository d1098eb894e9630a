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

#[test]
fn exec_output_is_a_note_and_no_evidence() {
    let ev = evidence(
        "$ kubectl exec -it web-7d9c5b8f6-x2k4p -n shop -- cat /etc/app.conf
OCI runtime exec failed: exec failed: unable to start container process: exec: \"cat\": executable file not found in $PATH: unknown
command terminated with exit code 126
$ kubectl get pods -n shop
NAME                  READY   STATUS    RESTARTS   AGE
web-7d9c5b8f6-x2k4p   1/1     Running   0          2d
",
    );
    assert_eq!(ev.pods.len(), 1);
    assert!(ev.pods[0].events.is_empty() && ev.pods[0].containers.is_empty());
    assert!(
        ev.notes.iter().any(|n| n.contains("kubectl exec")),
        "{:?}",
        ev.notes
    );
}

#[test]
fn an_empty_pod_listing_is_an_inventory_of_none() {
    let ev = evidence(
        "$ kubectl get pods -n shop
No resources found in shop namespace.
$ kubectl get events -n shop
LAST SEEN   TYPE      REASON    OBJECT                    MESSAGE
3m          Warning   BackOff   pod/api-5b8c7d6e5-zz9kq   Back-off restarting failed container api in pod api-5b8c7d6e5-zz9kq_shop(2c2d3e4f-aaaa-bbbb-cccc-1234567890ab)
",
    );
    assert!(ev.pods.is_empty(), "{:?}", ev.pods);
    assert!(
        ev.notes.iter().any(|n| n.contains("earlier pod")),
        "{:?}",
        ev.notes
    );
}

#[test]
fn a_controllers_describe_is_its_state_and_events_not_a_pod() {
    let ev = evidence(
        "$ kubectl describe rs api-6f7b9c8d4 -n shop
Name:           api-6f7b9c8d4
Namespace:      shop
Selector:       app=api,pod-template-hash=6f7b9c8d4
Labels:         app=api
Controlled By:  Deployment/api
Replicas:       0 current / 2 desired
Pods Status:    0 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Containers:
   api:
    Image:        registry.example.com/shop/api:1.8
Conditions:
  Type             Status  Reason
  ----             ------  ------
  ReplicaFailure   True    FailedCreate
Events:
  Type     Reason        Age   From                   Message
  ----     ------        ----  ----                   -------
  Warning  FailedCreate  2m    replicaset-controller  Error creating: pods \"api-6f7b9c8d4-\" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=2, limited: requests.cpu=2
",
    );
    // The controller stands for the pods it cannot create: one placeholder, with its events.
    assert_eq!(ev.pods.len(), 1);
    assert_eq!(ev.pods[0].reason.as_deref(), Some("PodsNotCreated"));
    assert_eq!(ev.pods[0].key(), "shop/api-6f7b9c8d4");
    assert_eq!(
        ev.object_events
            .of("shop", "replicaset/api-6f7b9c8d4")
            .len(),
        1
    );
    // Its state said so: no note that it was taken from events alone.
    assert!(
        !ev.notes.iter().any(|n| n.contains("replica counts")),
        "{:?}",
        ev.notes
    );
}
