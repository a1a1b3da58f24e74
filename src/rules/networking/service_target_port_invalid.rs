use super::common::{describe, is_templated, selected_workloads, service_selector};
use crate::check::{Check, CheckContext, Scope};
use crate::finding::Violation;
use crate::model::{Object, ObjectSet, WorkloadClass};
use crate::yaml::{NodeRef, Scalar};

/// A Service port whose `targetPort` the selected pods do not serve. By name it can never
/// resolve (the Endpoints have no address for it): `service-target-port-invalid`, an error.
/// By number it only works if the process listens on a port it does not declare, which some
/// do on purpose: `service-target-port-undeclared`, a warning, reported only when the selected
/// containers declare ports at all.
pub struct ServiceTargetPort {
    /// Judge numeric target ports (the warning rule) instead of named ones.
    pub numeric: bool,
}

/// Ports the long-running containers of one workload declare.
struct Declared<'a> {
    object: &'a Object,
    names: Vec<String>,
    numbers: Vec<i64>,
}

impl<'a> Declared<'a> {
    fn of(object: &'a Object) -> Self {
        let mut d = Declared { object, names: Vec::new(), numbers: Vec::new() };
        let containers = object.pod_spec().map(|s| s.containers()).unwrap_or_default();
        for port in containers.iter().filter(|c| c.kind.is_long_running()).flat_map(|c| c.ports()) {
            d.names.extend(port.get_str("name").map(str::to_string));
            d.numbers.extend(port.get("containerPort").and_then(|n| n.as_i64()));
        }
        d
    }

    /// True when the workload's ports can not be read (templated): judge nothing then.
    fn unreadable(&self) -> bool {
        self.names.iter().any(|n| is_templated(n))
    }
}

impl Check for ServiceTargetPort {
    fn scope(&self) -> Scope {
        Scope::Set
    }
    fn check_set(&self, set: &ObjectSet, _cx: &CheckContext, out: &mut Vec<(usize, Violation)>) {
        // Each workload's ports are read once, however many Services select it.
        let mut cache: std::collections::HashMap<usize, std::rc::Rc<Declared>> = std::collections::HashMap::new();
        for (i, service) in set.of_kind("Service") {
            let Some((_, selector)) = service_selector(service) else { continue };
            // Batch pods (a Job sharing the release labels) do not serve traffic.
            let picked: Vec<usize> = selected_workloads(set, service, &selector)
                .filter(|(_, o)| o.workload_class() == Some(WorkloadClass::LongRunning))
                .map(|(j, _)| j)
                .collect();
            let declared: Vec<std::rc::Rc<Declared>> = picked
                .into_iter()
                .map(|j| {
                    std::rc::Rc::clone(
                        cache.entry(j).or_insert_with(|| std::rc::Rc::new(Declared::of(&set.objects[j]))),
                    )
                })
                .collect();
            if declared.is_empty() || declared.iter().any(|d| d.unreadable()) {
                continue;
            }
            let ports = service.node().path(&["spec", "ports"]);
            for port in ports.into_iter().flat_map(|p| p.items()) {
                if let Some(v) = check_port(service, port, &declared, self.numeric) {
                    out.push((i, v));
                }
            }
        }
    }
}

fn check_port(
    service: &Object,
    port: NodeRef<'_>,
    declared: &[std::rc::Rc<Declared>],
    numeric: bool,
) -> Option<Violation> {
    let key = if port.get("targetPort").is_some_and(|t| !t.is_null()) { "targetPort" } else { "port" };
    let target = port.get(key)?;
    let span = port.field_span(key)?;
    let service_port = match port.get_str("name") {
        Some(name) => format!("port '{name}'"),
        None => format!(
            "port {}",
            port.get("port").and_then(|p| p.scalar()).map(|s| s.json_key().into_owned()).unwrap_or_default()
        ),
    };
    let service_name = service.name.as_deref().unwrap_or("<unnamed>");
    // A workload defined more than once in the run (several renderings) is named once. Only
    // built for a finding: Services in big runs select many workloads.
    let workloads = || {
        let mut w: Vec<String> = declared.iter().map(|d| describe(d.object)).collect();
        w.dedup();
        w
    };
    let violation = match target.scalar()? {
        Scalar::Str(name) if !numeric && !is_templated(name) => {
            if declared.iter().any(|d| d.names.iter().any(|n| n == name)) {
                return None;
            }
            Violation::new(
                span,
                format!(
                    "Service '{service_name}' {service_port} targets port name '{name}', which no container of {} declares: the port has no endpoints and traffic to it fails",
                    workloads().join(", ")
                ),
            )
        }
        Scalar::Int(number) if numeric => {
            // Containers may listen on undeclared ports: judge only workloads that declare some.
            if declared.iter().any(|d| d.numbers.is_empty() || d.numbers.contains(&number)) {
                return None;
            }
            let mut numbers: Vec<i64> = declared.iter().flat_map(|d| d.numbers.iter().copied()).collect();
            numbers.sort_unstable();
            numbers.dedup();
            let numbers: Vec<String> = numbers.iter().map(i64::to_string).collect();
            let workloads = workloads();
            Violation::new(
                span,
                format!(
                    "Service '{service_name}' {service_port} targets port {number}, but {} declare{} only {}: traffic fails unless the process listens on an undeclared port",
                    workloads.join(", "),
                    if workloads.len() == 1 { "s" } else { "" },
                    numbers.join(", ")
                ),
            )
        }
        _ => return None,
    };
    let mut related = Vec::new();
    for d in declared {
        if related.len() < 3 && !related.iter().any(|(o, _): &(&Object, _)| o.ident() == d.object.ident()) {
            let at = d.object.pod_template().and_then(|t| t.spec.node().field_span("containers"));
            related.push((d.object, at.unwrap_or_else(|| d.object.anchor_span())));
        }
    }
    Some(related.into_iter().fold(violation, |v, (object, at)| {
        v.with_related(at, format!("{} is selected by the Service; its containers are declared here", describe(object)))
    }))
}
