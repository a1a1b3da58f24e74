//! `values.schema.json` validation with Helm's error text.
//!
//! Helm validates with santhosh-tekuri/jsonschema v6 and prints that library's error tree:
//!
//! ```text
//! <chart>:
//! - at '/image': missing property 'repository'
//! - at '/replicas': got string, want integer
//! ```
//!
//! Validity comes from the `jsonschema` crate; its flat error list is rebuilt into v6's tree
//! from each error's evaluation path: every validator scope that collects more than one error
//! becomes a "validation failed" group at its instance location, `allOf`/`anyOf`/`oneOf`
//! failures list their subschemas' errors, and a `$ref` with several errors is its own group.
//! v6 lists sibling properties in Go map order (random); here they are sorted.

use std::cmp::Ordering;

use serde_json::Value as J;

use super::values::Node;
use crate::render::value::Value;
use crate::yaml::scalar::format_float_g;

/// `ValidateAgainstSchema` over the chart tree: `Err` holds the per-chart report that Helm
/// prefixes with "values don't meet the specifications of the schema(s) ...".
pub fn validate_tree(node: &Node<'_>, values: &Value) -> Result<(), String> {
    let mut report = String::new();
    if let Some(schema) = &node.chart.schema {
        if let Err(e) = validate_single(values, schema) {
            report.push_str(&format!("{}:\n{e}", node.name()));
        }
    }
    for sub in &node.deps {
        let raw = values.get(sub.name());
        match raw {
            None | Some(Value::Nil) => continue,
            Some(v @ Value::Map(_)) => {
                if let Err(e) = validate_tree(sub, &v) {
                    report.push_str(&e);
                }
            }
            Some(other) => report.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                other.type_name()
            )),
        }
    }
    if report.is_empty() {
        Ok(())
    } else {
        Err(report)
    }
}

const SCHEMA_URL: &str = "file:///values.schema.json#";

/// `ValidateAgainstSingleSchema`: the v6 report without its first line, plus a newline.
pub fn validate_single(values: &Value, schema: &[u8]) -> Result<(), String> {
    let Some(causes) = report_causes(values, schema)? else { return Ok(()) };
    let mut out = String::new();
    for cause in &causes {
        display(cause, 1, &mut out);
    }
    // Helm trims the "jsonschema validation failed with ..." line and its newline.
    Err(out.trim_start_matches('\n').to_string() + "\n")
}

/// One error of Helm's report, at the values location it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaViolation {
    /// JSON pointer into the values (`/image/tag`; empty for the root).
    pub location: String,
    /// Helm's text for it; the causes of an `anyOf`-like error follow on indented lines.
    pub message: String,
}

/// The errors of [`validate_single`]'s report one by one, each at its own location (for
/// pointing at values file keys): groups of several errors and `$ref`s are opened, any other
/// error is one violation. `Err` when the schema itself is unusable.
pub fn schema_violations(values: &Value, schema: &[u8]) -> Result<Vec<SchemaViolation>, String> {
    fn collect(e: &VErr, out: &mut Vec<SchemaViolation>) {
        let message = match &e.kind {
            VKind::Group | VKind::Ref => {
                e.causes.iter().for_each(|c| collect(c, out));
                return;
            }
            VKind::Leaf(m) | VKind::Message(m) => m.clone(),
            VKind::Keyword(k) => k.to_string(),
        };
        let mut nested = String::new();
        for c in &e.causes {
            display(c, 1, &mut nested);
        }
        let message = if nested.is_empty() { message } else { format!("{message}:{nested}") };
        out.push(SchemaViolation { location: e.loc.clone(), message });
    }
    let mut out = Vec::new();
    for cause in report_causes(values, schema)?.iter().flatten() {
        collect(cause, &mut out);
    }
    Ok(out)
}

/// The top-level errors of v6's tree for `values` (`None` when they are valid).
fn report_causes(values: &Value, schema: &[u8]) -> Result<Option<Vec<VErr>>, String> {
    let schema: J = serde_json::from_slice(schema).map_err(|e| e.to_string())?;
    let instance = values.to_json();
    let draft = draft_year(&schema);
    let validator = jsonschema::options()
        // v6 asserts `format` only for drafts before 2019-09 (unless told otherwise).
        .should_validate_formats(draft < 2019)
        .build(&schema)
        .map_err(|e| format!("\"{SCHEMA_URL}\" is not valid against metaschema: {e}"))?;
    let errors: Vec<jsonschema::ValidationError<'_>> = validator.iter_errors(&instance).collect();
    if errors.is_empty() {
        return Ok(None);
    }
    let ctx = Ctx { schema: &schema, instance: &instance, draft };
    let flat: Vec<Flat> = errors.iter().flat_map(|e| flatten(e, &ctx)).collect();
    let tree = build_scope(&flat, 0, "");
    Ok(Some(match reduce(tree, "") {
        Some(VErr { kind: VKind::Group, causes, .. }) => causes,
        Some(single) => vec![single],
        None => Vec::new(),
    }))
}

fn draft_year(schema: &J) -> u32 {
    let url = schema.get("$schema").and_then(J::as_str).unwrap_or("");
    if url.contains("draft-04") {
        4
    } else if url.contains("draft-06") {
        6
    } else if url.contains("draft-07") {
        7
    } else if url.contains("2019-09") {
        2019
    } else {
        2020
    }
}

/// One step of an error's evaluation path that matters for v6's tree.
#[derive(Clone, Debug, PartialEq)]
enum Frame {
    /// Descend into a property/item (`validateVal`).
    Value(String),
    /// A subschema applied to the same value (`then`, `else`, `dependentSchemas`).
    SelfScope(String),
    /// `$ref` & co.: a Reference error (transparent when it has one cause).
    Ref,
    /// `allOf/<i>`.
    AllOf(usize),
}

/// A leaf error with the frames leading to it.
#[derive(Clone, Debug)]
struct Flat {
    frames: Vec<Frame>,
    rank: u32,
    /// Key for merging `required` errors of one schema into one message.
    merge_key: Option<String>,
    kind: LeafKind,
}

#[derive(Clone, Debug)]
enum LeafKind {
    Message(String),
    Required(Vec<String>),
    /// anyOf / oneOf (none matched): one list of leaf errors per subschema.
    Alternatives {
        message: &'static str,
        branches: Vec<Vec<Flat>>,
    },
    /// `properties 'b' required, if 'a' exists` (property, missing names).
    DependentRequired(String, Vec<String>),
    /// A message whose causes are listed below it (`contains`, `propertyNames`); each cause
    /// list is reduced like a validator scope.
    WithCauses {
        message: String,
        causes: Vec<Vec<Flat>>,
    },
}

#[derive(Clone, Debug)]
enum VKind {
    Leaf(String),
    Group,
    Ref,
    Keyword(&'static str),
    Message(String),
}

#[derive(Clone, Debug)]
struct VErr {
    loc: String,
    kind: VKind,
    causes: Vec<VErr>,
    rank: u32,
}

/// Keyword evaluation order in v6's validator (lower first).
fn keyword_rank(keyword: &str) -> u32 {
    match keyword {
        "type" | "const" | "enum" | "format" => 0,
        "$ref" | "$dynamicRef" | "$recursiveRef" => 1,
        "minProperties" | "maxProperties" | "required" => 2,
        "dependencies" | "dependentRequired" => 3,
        // v6 collects additional properties during the property loop and reports them after.
        "properties" | "patternProperties" => 4,
        "additionalProperties" => 5,
        "propertyNames" => 6,
        "dependentSchemas" => 7,
        "minItems" | "maxItems" | "uniqueItems" => 2,
        "items" | "prefixItems" | "additionalItems" => 4,
        "contains" | "minContains" | "maxContains" => 5,
        "minLength" | "maxLength" | "pattern" => 2,
        "contentEncoding" | "contentMediaType" | "contentSchema" => 3,
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => 2,
        "not" => 10,
        "allOf" => 11,
        "anyOf" => 12,
        "oneOf" => 13,
        "if" | "then" | "else" => 14,
        "unevaluatedProperties" | "unevaluatedItems" => 20,
        _ => 9,
    }
}

/// Turn an evaluation path (JSON pointer) into frames. The last token(s) name the failing
/// keyword itself (`.../required`, `.../additionalProperties`) and are not frames.
fn frames_of(eval_path: &str, leaf_keyword: &str) -> (Vec<Frame>, u32) {
    let mut tokens: Vec<String> = eval_path.split('/').skip(1).map(unescape).collect();
    match tokens.iter().rposition(|t| t == leaf_keyword) {
        // A `false` subschema has no keyword of its own.
        _ if leaf_keyword == "falseSchema" => {}
        Some(i) if i + 2 >= tokens.len() => tokens.truncate(i),
        _ => {
            tokens.pop();
        }
    }
    let mut frames = Vec::new();
    let mut rank = keyword_rank(leaf_keyword);
    let mut first = true;
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let next = tokens.get(i + 1).cloned();
        let mut consumed = 1;
        let frame = match t {
            "properties" | "patternProperties" => {
                consumed = 2;
                next.clone().map(Frame::Value)
            }
            "dependentSchemas" | "dependencies" => {
                consumed = 2;
                next.clone().map(Frame::SelfScope)
            }
            "$defs" | "definitions" => {
                consumed = 2;
                None
            }
            "additionalProperties" | "unevaluatedProperties" | "propertyNames" => Some(Frame::Value(String::new())),
            "items" | "prefixItems" | "additionalItems" | "unevaluatedItems" | "contains" => {
                if t != "contains"
                    && next.as_deref().is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                {
                    consumed = 2;
                }
                Some(Frame::Value(String::new()))
            }
            "$ref" | "$dynamicRef" | "$recursiveRef" => Some(Frame::Ref),
            "allOf" => {
                consumed = 2;
                next.as_deref().and_then(|n| n.parse().ok()).map(Frame::AllOf)
            }
            "then" | "else" => Some(Frame::SelfScope(t.to_string())),
            _ => None,
        };
        if let Some(f) = frame {
            if first {
                rank = keyword_rank(t);
                first = false;
            }
            frames.push(f);
        }
        i += consumed;
    }
    (frames, rank)
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Instance path tokens (for filling in `Frame::Value` names).
fn instance_tokens(path: &str) -> Vec<String> {
    path.split('/').skip(1).map(unescape).collect()
}

/// What error conversion needs besides the error itself.
struct Ctx<'a> {
    schema: &'a J,
    instance: &'a J,
    draft: u32,
}

fn pointer<'a>(doc: &'a J, ptr: &str) -> Option<&'a J> {
    if ptr.is_empty() {
        Some(doc)
    } else {
        doc.pointer(ptr)
    }
}

/// For `dependentRequired`/`dependencies`: the property whose presence requires `missing`.
fn dependent_property(ctx: &Ctx<'_>, e: &jsonschema::ValidationError<'_>, missing: &str) -> Option<String> {
    let deps = pointer(ctx.schema, &e.schema_path().to_string())?.as_object()?;
    let obj = pointer(ctx.instance, &e.instance_path().to_string())?.as_object()?;
    deps.iter()
        .filter(|(prop, _)| obj.contains_key(*prop))
        .find(|(_, req)| req.as_array().is_some_and(|r| r.iter().any(|n| n.as_str() == Some(missing))))
        .map(|(prop, _)| prop.clone())
}

/// v6 lists why each item failed the `contains` subschema (compiled on its own here, so a
/// subschema with references yields no details).
fn contains_causes(ctx: &Ctx<'_>, e: &jsonschema::ValidationError<'_>, base: &[Frame]) -> Vec<Vec<Flat>> {
    let Some(sub) = pointer(ctx.schema, &e.schema_path().to_string()) else { return Vec::new() };
    let Ok(validator) = jsonschema::options().should_validate_formats(ctx.draft < 2019).build(sub) else {
        return Vec::new();
    };
    let items = e.instance().as_array().cloned().unwrap_or_default();
    let sub_ctx = Ctx { schema: sub, instance: ctx.instance, draft: ctx.draft };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let errors: Vec<jsonschema::ValidationError<'_>> = validator.iter_errors(item).collect();
            errors
                .iter()
                .flat_map(|err| flatten(err, &sub_ctx))
                .map(|mut f| {
                    let mut frames = base.to_vec();
                    frames.push(Frame::Value(i.to_string()));
                    frames.append(&mut f.frames);
                    f.frames = frames;
                    f
                })
                .collect()
        })
        .collect()
}

/// Convert one crate error into v6-shaped leaves.
fn flatten(e: &jsonschema::ValidationError<'_>, ctx: &Ctx<'_>) -> Vec<Flat> {
    use jsonschema::error::ValidationErrorKind as K;
    let eval = e.evaluation_path().to_string();
    let kind = e.kind();
    let (mut frames, rank) = frames_of(&eval, kind.keyword());
    // `additionalProperties: false` is reported on the object, after the property errors.
    // Name the value frames after the instance path: each descent consumes one token.
    let tokens = instance_tokens(&e.instance_path().to_string());
    let mut ti = 0;
    for f in frames.iter_mut() {
        if let Frame::Value(name) = f {
            *name = tokens.get(ti).cloned().unwrap_or_default();
            ti += 1;
        }
    }
    let instance = e.instance();
    let leaf = |kind: LeafKind| Flat { frames: frames.clone(), rank, merge_key: None, kind };
    let msg = |m: String| leaf(LeafKind::Message(m));
    match kind {
        K::Required { property } => {
            let name = property.as_str().map(str::to_string).unwrap_or_else(|| property.to_string());
            let last = eval.rsplit('/').next().unwrap_or("");
            if last == "dependentRequired" || last == "dependencies" {
                let prop = dependent_property(ctx, e, &name).unwrap_or_default();
                return vec![Flat {
                    frames: frames.clone(),
                    rank: keyword_rank("dependentRequired"),
                    merge_key: Some(format!("{eval}@{}@{prop}", e.instance_path())),
                    kind: LeafKind::DependentRequired(prop, vec![name]),
                }];
            }
            vec![Flat {
                frames: frames.clone(),
                rank,
                merge_key: Some(format!("{eval}@{}", e.instance_path())),
                kind: LeafKind::Required(vec![name]),
            }]
        }
        K::Type { .. } => vec![msg(format!("got {}, want {}", json_type(instance), wanted_types(e)))],
        K::AdditionalProperties { unexpected } => {
            vec![msg(format!("additional properties {} not allowed", join_quoted(unexpected)))]
        }
        K::Enum { options } => vec![msg(enum_message(options))],
        K::Constant { expected_value } => vec![msg(match expected_value.as_ref() {
            J::Array(_) | J::Object(_) => "'const' failed".to_string(),
            other => format!("value must be {}", display_value(other)),
        })],
        K::Format { format } => vec![msg(format!("{} is not valid {format}", display_value(instance)))],
        K::Minimum { limit } => vec![msg(number_message("minimum", instance, limit))],
        K::Maximum { limit } => vec![msg(number_message("maximum", instance, limit))],
        K::ExclusiveMinimum { limit } => vec![msg(number_message("exclusiveMinimum", instance, limit))],
        K::ExclusiveMaximum { limit } => vec![msg(number_message("exclusiveMaximum", instance, limit))],
        K::MultipleOf { multiple_of } => vec![msg(format!(
            "multipleOf: got {}, want {}",
            go_number(instance),
            group_thousands(&format_float_g(*multiple_of, false))
        ))],
        K::MinLength { limit } => {
            vec![msg(format!("minLength: got {}, want {}", go_count(str_len(instance)), go_count(limit)))]
        }
        K::MaxLength { limit } => {
            vec![msg(format!("maxLength: got {}, want {}", go_count(str_len(instance)), go_count(limit)))]
        }
        K::MinItems { limit } => {
            vec![msg(format!("minItems: got {}, want {}", go_count(arr_len(instance)), go_count(limit)))]
        }
        K::MaxItems { limit } => {
            vec![msg(format!("maxItems: got {}, want {}", go_count(arr_len(instance)), go_count(limit)))]
        }
        K::MinProperties { limit } => {
            vec![msg(format!("minProperties: got {}, want {}", go_count(obj_len(instance)), go_count(limit)))]
        }
        K::MaxProperties { limit } => {
            vec![msg(format!("maxProperties: got {}, want {}", go_count(obj_len(instance)), go_count(limit)))]
        }
        K::Pattern { pattern } => {
            vec![msg(format!(
                "{} does not match pattern {}",
                go_quote(instance.as_str().unwrap_or("")),
                go_quote(pattern)
            ))]
        }
        K::UniqueItems => {
            let (i, j) = duplicates(instance);
            vec![msg(format!("items at {} and {} are equal", go_count(i), go_count(j)))]
        }
        K::FalseSchema => vec![msg("false schema".into())],
        K::Not { .. } => vec![msg("'not' failed".into())],
        K::Contains => {
            let branches = contains_causes(ctx, e, &frames);
            vec![leaf(LeafKind::WithCauses { message: "no items match contains schema".into(), causes: branches })]
        }
        K::AdditionalItems { limit } => {
            vec![msg(format!(
                "last {} additionalItem(s) not allowed",
                go_count(arr_len(instance).saturating_sub(*limit as u64))
            ))]
        }
        K::PropertyNames { error } => {
            let name = error.instance().as_str().unwrap_or("").to_string();
            // v6 reports the property at the object's location, with why the name failed.
            frames.retain(|f| !matches!(f, Frame::Value(n) if n.is_empty() || *n == name));
            let inner: Vec<Flat> = flatten(error, ctx)
                .into_iter()
                .map(|mut f| {
                    f.frames = frames.clone();
                    f
                })
                .collect();
            vec![Flat {
                frames,
                rank,
                merge_key: None,
                kind: LeafKind::WithCauses {
                    message: format!("invalid propertyName {}", go_quote(&name)),
                    causes: vec![inner],
                },
            }]
        }
        K::UnevaluatedProperties { unexpected } => unexpected
            .iter()
            .map(|p| {
                let mut f = frames.clone();
                f.push(Frame::Value(p.clone()));
                Flat { frames: f, rank, merge_key: None, kind: LeafKind::Message("false schema".into()) }
            })
            .collect(),
        K::UnevaluatedItems { unexpected } => unexpected
            .iter()
            .map(|p| {
                let mut f = frames.clone();
                f.push(Frame::Value(p.clone()));
                Flat { frames: f, rank, merge_key: None, kind: LeafKind::Message("false schema".into()) }
            })
            .collect(),
        K::AnyOf { context } | K::OneOfNotValid { context } => {
            let message =
                if matches!(kind, K::AnyOf { .. }) { "'anyOf' failed" } else { "'oneOf' failed, none matched" };
            let depth = frames.len();
            let branches = context
                .iter()
                .map(|branch| {
                    branch
                        .iter()
                        .flat_map(|b| flatten(b, ctx))
                        .map(|mut f| {
                            // Keep only the frames inside the branch.
                            f.frames = f.frames.split_off(depth.min(f.frames.len()));
                            f
                        })
                        .collect()
                })
                .collect();
            vec![leaf(LeafKind::Alternatives { message, branches })]
        }
        K::OneOfMultipleValid { context } => {
            let valid: Vec<usize> = context.iter().enumerate().filter(|(_, b)| b.is_empty()).map(|(i, _)| i).collect();
            let (a, b) = (valid.first().copied().unwrap_or(0), valid.get(1).copied().unwrap_or(1));
            vec![msg(format!("'oneOf' failed, subschemas {a}, {b} matched"))]
        }
        // Remaining kinds (content encoding/media type, regex engine failures, references):
        // the crate's own wording.
        _ => vec![msg(e.to_string())],
    }
}

/// The wanted types of a `type` keyword, in v6's fixed order.
fn wanted_types(e: &jsonschema::ValidationError<'_>) -> String {
    use jsonschema::error::{TypeKind, ValidationErrorKind as K};
    let K::Type { kind } = e.kind() else { return String::new() };
    let names: Vec<String> = match kind {
        TypeKind::Single(t) => vec![t.to_string()],
        TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
    };
    const ORDER: [&str; 7] = ["null", "boolean", "number", "integer", "string", "array", "object"];
    let mut ordered: Vec<&str> = ORDER.iter().copied().filter(|o| names.iter().any(|n| n == o)).collect();
    if ordered.is_empty() {
        ordered = names.iter().map(String::as_str).collect();
    }
    ordered.join(" or ")
}

/// v6 `typeOf`: every number is "number".
fn json_type(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "boolean",
        J::Number(_) => "number",
        J::String(_) => "string",
        J::Array(_) => "array",
        J::Object(_) => "object",
    }
}

fn enum_message(options: &J) -> String {
    let items: Vec<&J> = match options {
        J::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    if items.iter().any(|i| matches!(i, J::Array(_) | J::Object(_))) {
        return "'enum' failed".into();
    }
    if items.len() == 1 {
        return format!("value must be {}", display_value(items[0]));
    }
    let shown: Vec<String> = items.iter().map(|i| display_value(i)).collect();
    format!("value must be one of {}", shown.join(", "))
}

/// v6 `display`: strings quoted, numbers and booleans as Go prints them, containers "value".
fn display_value(v: &J) -> String {
    match v {
        J::String(s) => go_quote(s),
        J::Array(_) | J::Object(_) => "value".into(),
        J::Null => "<nil>".into(),
        J::Bool(b) => b.to_string(),
        J::Number(n) => n.to_string(),
    }
}

/// `%v` of a number through golang.org/x/text's English printer (v6 localizes its messages):
/// integer digits are grouped by thousands.
fn go_number(v: &J) -> String {
    let plain = v.as_f64().map_or_else(|| v.to_string(), |f| format_float_g(f, false));
    group_thousands(&plain)
}

fn group_thousands(plain: &str) -> String {
    if plain.contains(['e', 'E', 'N', 'I']) {
        return plain.to_string();
    }
    let (sign, rest) = plain.strip_prefix('-').map_or(("", plain), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

fn go_count(n: impl std::fmt::Display) -> String {
    group_thousands(&n.to_string())
}

fn number_message(keyword: &str, got: &J, limit: &J) -> String {
    format!("{keyword}: got {}, want {}", go_number(got), go_number(limit))
}

fn str_len(v: &J) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}
fn arr_len(v: &J) -> u64 {
    v.as_array().map_or(0, |a| a.len() as u64)
}
fn obj_len(v: &J) -> usize {
    v.as_object().map_or(0, |o| o.len())
}

/// The first pair of equal items (v6 `duplicates`).
fn duplicates(v: &J) -> (usize, usize) {
    let items = v.as_array().map(Vec::as_slice).unwrap_or(&[]);
    for i in 0..items.len() {
        for j in i + 1..items.len() {
            if json_equal(&items[i], &items[j]) {
                return (i, j);
            }
        }
    }
    (0, 0)
}

fn json_equal(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        (J::Array(x), J::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b)),
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// v6 `quote`: Go's `%q`, then `\"` unescaped, `'` escaped, single quotes around.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\u{0B}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7F}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn join_quoted(items: &[String]) -> String {
    items.iter().map(|s| go_quote(s)).collect::<Vec<_>>().join(", ")
}

fn child_loc(loc: &str, token: &str) -> String {
    format!("{loc}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// Build the error list of one validator scope from the leaves below it.
fn build_scope(flats: &[Flat], depth: usize, loc: &str) -> Vec<VErr> {
    let mut out: Vec<VErr> = Vec::new();
    // Leaves that end here.
    let mut required: Vec<(String, Vec<String>, u32)> = Vec::new();
    let mut dependent: Vec<(String, String, Vec<String>, u32)> = Vec::new();
    for f in flats.iter().filter(|f| f.frames.len() == depth) {
        match &f.kind {
            LeafKind::Message(m) => {
                out.push(VErr { loc: loc.into(), kind: VKind::Leaf(m.clone()), causes: vec![], rank: f.rank })
            }
            LeafKind::Required(names) => {
                let key = f.merge_key.clone().unwrap_or_default();
                match required.iter_mut().find(|(k, _, _)| *k == key) {
                    Some((_, all, _)) => all.extend(names.iter().cloned()),
                    None => required.push((key, names.clone(), f.rank)),
                }
            }
            LeafKind::Alternatives { message, branches } => {
                let causes: Vec<VErr> = branches.iter().filter_map(|b| reduce(build_scope(b, 0, loc), loc)).collect();
                out.push(VErr { loc: loc.into(), kind: VKind::Keyword(message), causes, rank: f.rank });
            }
            LeafKind::WithCauses { message, causes } => {
                let causes: Vec<VErr> = causes.iter().filter_map(|b| reduce(build_scope(b, depth, loc), loc)).collect();
                out.push(VErr { loc: loc.into(), kind: VKind::Message(message.clone()), causes, rank: f.rank });
            }
            LeafKind::DependentRequired(prop, names) => {
                let key = f.merge_key.clone().unwrap_or_default();
                match dependent.iter_mut().find(|(k, _, _, _)| *k == key) {
                    Some((_, _, all, _)) => all.extend(names.iter().cloned()),
                    None => dependent.push((key, prop.clone(), names.clone(), f.rank)),
                }
            }
        }
    }
    for (_, names, rank) in required {
        let m = if names.len() == 1 {
            format!("missing property {}", go_quote(&names[0]))
        } else {
            format!("missing properties {}", join_quoted(&names))
        };
        out.push(VErr { loc: loc.into(), kind: VKind::Leaf(m), causes: vec![], rank });
    }
    for (_, prop, names, rank) in dependent {
        let m = format!("properties {} required, if {} exists", join_quoted(&names), go_quote(&prop));
        out.push(VErr { loc: loc.into(), kind: VKind::Leaf(m), causes: vec![], rank });
    }
    // Deeper leaves, grouped by their next frame (allOf branches share one node).
    let mut keys: Vec<Frame> = Vec::new();
    for f in flats.iter().filter(|f| f.frames.len() > depth) {
        let key = match &f.frames[depth] {
            Frame::AllOf(_) => Frame::AllOf(0),
            other => other.clone(),
        };
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    for key in keys {
        let members: Vec<Flat> = flats
            .iter()
            .filter(|f| {
                f.frames.len() > depth
                    && match (&f.frames[depth], &key) {
                        (Frame::AllOf(_), Frame::AllOf(_)) => true,
                        (a, b) => a == b,
                    }
            })
            .cloned()
            .collect();
        let rank = members.iter().map(|m| m.rank).min().unwrap_or(0);
        match key {
            Frame::Value(token) => {
                let sub_loc = child_loc(loc, &token);
                if let Some(mut e) = reduce(build_scope(&members, depth + 1, &sub_loc), &sub_loc) {
                    e.rank = rank;
                    out.push(e);
                }
            }
            Frame::SelfScope(_) => {
                if let Some(mut e) = reduce(build_scope(&members, depth + 1, loc), loc) {
                    e.rank = rank;
                    out.push(e);
                }
            }
            Frame::Ref => {
                let causes = build_scope(&members, depth + 1, loc);
                out.push(VErr { loc: loc.into(), kind: VKind::Ref, causes, rank });
            }
            Frame::AllOf(_) => {
                let mut indices: Vec<usize> = members
                    .iter()
                    .filter_map(|m| match m.frames[depth] {
                        Frame::AllOf(i) => Some(i),
                        _ => None,
                    })
                    .collect();
                indices.sort_unstable();
                indices.dedup();
                let causes = indices
                    .into_iter()
                    .filter_map(|i| {
                        let branch: Vec<Flat> =
                            members.iter().filter(|m| m.frames[depth] == Frame::AllOf(i)).cloned().collect();
                        reduce(build_scope(&branch, depth + 1, loc), loc)
                    })
                    .collect();
                out.push(VErr { loc: loc.into(), kind: VKind::Keyword("'allOf' failed"), causes, rank });
            }
        }
    }
    out.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| compare_loc(&a.loc, &b.loc)));
    out
}

fn compare_loc(a: &str, b: &str) -> Ordering {
    a.cmp(b)
}

/// A validator's result: nothing, its single error, or a group.
fn reduce(mut errors: Vec<VErr>, loc: &str) -> Option<VErr> {
    match errors.len() {
        0 => None,
        1 => errors.pop(),
        _ => Some(VErr { loc: loc.into(), kind: VKind::Group, causes: errors, rank: 0 }),
    }
}

fn display(e: &VErr, indent: usize, out: &mut String) {
    // A reference with a single cause is invisible.
    if matches!(e.kind, VKind::Ref) && e.causes.len() == 1 {
        for c in &e.causes {
            display(c, indent, out);
        }
        return;
    }
    out.push('\n');
    for _ in 0..indent.saturating_sub(1) {
        out.push_str("  ");
    }
    out.push_str("- ");
    let msg = match &e.kind {
        VKind::Leaf(m) => m.as_str(),
        VKind::Group | VKind::Ref => "validation failed",
        VKind::Keyword(k) => k,
        VKind::Message(m) => m.as_str(),
    };
    out.push_str(&format!("at {}: {msg}", go_quote(&e.loc)));
    for c in &e.causes {
        display(c, indent + 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(schema: &str, values: &str) -> String {
        let v = Value::from_json(&serde_json::from_str(values).unwrap_or(J::Null));
        match validate_single(&v, schema.as_bytes()) {
            Ok(()) => "ok".into(),
            Err(e) => e,
        }
    }

    // Corpus golden external-dns/default.error.
    #[test]
    fn missing_property_at_root() {
        let schema = r#"{"type":"object","required":["policy"],"properties":{"policy":{"type":"string"}}}"#;
        assert_eq!(check(schema, r#"{"a":1}"#), "- at '': missing property 'policy'\n");
        assert_eq!(check(schema, r#"{"policy":"x"}"#), "ok");
    }

    #[test]
    fn violations_one_per_location() {
        let schema = r#"{"type":"object","properties":{"replicas":{"type":"integer"},
            "image":{"type":"object","required":["repository"],"properties":{"tag":{"type":"string"}}}}}"#;
        let v = Value::from_json(&serde_json::json!({"replicas": "two", "image": {"tag": 1}}));
        let got = schema_violations(&v, schema.as_bytes()).unwrap_or_default();
        let got: Vec<(&str, &str)> = got.iter().map(|v| (v.location.as_str(), v.message.as_str())).collect();
        assert_eq!(
            got,
            [
                ("/image", "missing property 'repository'"),
                ("/image/tag", "got number, want string"),
                ("/replicas", "got string, want integer"),
            ]
        );
    }
}
