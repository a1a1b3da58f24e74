use super::util::{capability_items, find_capability, is_windows, workload_containers};
use super::CONTAINER_SECURITY_CONTEXT;
use crate::check::{Check, CheckContext};
use crate::finding::Violation;
use crate::model::Object;

/// Containers that keep the runtime's default capability set (it includes NET_RAW, which lets
/// a process forge packets on the pod network). Privileged containers are left to
/// `privileged-container`: dropping capabilities does not restrict them.
pub struct CapabilitiesNotDropped;

impl Check for CapabilitiesNotDropped {
    fn check_object(&self, object: &Object, _cx: &CheckContext, out: &mut Vec<Violation>) {
        let Some(spec) = object.pod_spec() else { return };
        if is_windows(&spec) {
            return;
        }
        for c in workload_containers(&spec) {
            let sc = c.security_context();
            if sc.and_then(|s| s.get("privileged")).and_then(|v| v.as_bool()) == Some(true) {
                continue;
            }
            if find_capability(&c, "drop", "ALL").is_some() {
                continue;
            }
            let keeps_net_raw = find_capability(&c, "drop", "NET_RAW").is_none();
            let suffix = if keeps_net_raw { ", and keeps NET_RAW (raw sockets, packet spoofing)" } else { "" };
            // Point at the `drop:` list when there is one: that is the line to extend.
            let drop_key = sc.and_then(|s| s.get("capabilities")).and_then(|caps| caps.entry("drop")).map(|(k, _)| k);
            let span = match drop_key {
                Some(k) if !capability_items(&c, "drop").is_empty() => k.span(),
                _ => c.anchor_span(),
            };
            let v = Violation::new(span, format!("{} does not drop ALL capabilities{suffix}", c.describe()));
            out.push(v.missing(CONTAINER_SECURITY_CONTEXT.map(|k| k.replace("{field}", "capabilities"))));
        }
    }
}
