//! Template functions: semantic versions (Sprig's `semver` and `semverCompare`).
//!
//! Sprig v3 hands both to Masterminds/semver v3 (v3.4.0 is what Helm v4 resolves), so this
//! module is a port of that library's loose `NewVersion` parser and its constraint language:
//! `= != > < >= => <= =< ~ ~> ^`, `||` between alternatives, commas or spaces for AND, hyphen
//! ranges (`1.2 - 1.4.5`), wildcards (`x`, `X`, `*`), an optional `v`, partial versions, and
//! the prerelease rule (a prerelease version only satisfies an AND group that itself names a
//! prerelease). The regular expressions are the library's own: Go's RE2 and Rust's `regex`
//! both use leftmost-first matching, so alternations such as `=||!=|>` resolve identically.
//!
//! Chart loading reuses [`constraint_matches`] for Chart.yaml `kubeVersion` and dependency
//! version ranges, which Helm checks with the same library.

use std::cmp::Ordering;
use std::rc::Rc;
use std::sync::LazyLock;

use regex::Regex;

use super::{arity, expect_str, CallCtx, FuncError, FuncResult, Registry};
use crate::render::value::{Object, Value};

pub fn register(r: &mut Registry) {
    r.add("semver", semver);
    r.add("semverCompare", semver_compare);
    // Sprig v3 has no `mustSemverCompare`: `semverCompare` already returns its errors.
}

/// `semver VERSION`: the parsed `*semver.Version`, or the parse error.
fn semver(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let v = Version::parse(expect_str(&args[0])?).map_err(FuncError::Call)?;
    Ok(VersionObject::pointer(v))
}

/// `semverCompare CONSTRAINT VERSION`: whether the version satisfies the constraint.
fn semver_compare(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let constraint = expect_str(&args[0])?;
    let version = expect_str(&args[1])?;
    constraint_matches(constraint, version).map(Value::Bool).map_err(FuncError::Call)
}

/// Masterminds `NewConstraint(constraint).Check(NewVersion(version))`, with the library's error
/// messages (constraint errors first, as Sprig parses the constraint first).
pub fn constraint_matches(constraint: &str, version: &str) -> Result<bool, String> {
    let constraints = Constraints::parse(constraint)?;
    let version = Version::parse(version)?;
    Ok(constraints.check(&version))
}

/// `semver.NewConstraint(constraint)` alone: `Err` carries the library's message (chart rules
/// report an unparsable `kubeVersion` or dependency range before anything compares against it).
pub fn parse_constraint_text(constraint: &str) -> Result<(), String> {
    Constraints::parse(constraint).map(|_| ())
}

// ---- versions ------------------------------------------------------------------------------

/// A parsed version, as Masterminds' `Version` struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
    pub original: String,
}

/// `looseSemVerRegex`: what `NewVersion` accepts by default (`CoerceNewVersion`): a leading `v`,
/// optional minor and patch, leading zeros.
static LOOSE_VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?",
        r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
        r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$"
    ))
    .expect("static regex")
});

const ERR_INVALID_SEMVER: &str = "invalid semantic version";

impl Version {
    /// `semver.NewVersion` (coercing mode, the library default).
    pub fn parse(s: &str) -> Result<Version, String> {
        let m = LOOSE_VERSION.captures(s).ok_or_else(|| ERR_INVALID_SEMVER.to_string())?;
        let group = |i: usize| m.get(i).map_or("", |g| g.as_str());
        let segment = |i: usize| -> Result<u64, String> {
            let digits = group(i).trim_start_matches('.');
            if digits.is_empty() {
                return Ok(0);
            }
            parse_uint(digits).map_err(|e| format!("error parsing version segment: {e}"))
        };
        let v = Version {
            major: segment(1)?,
            minor: segment(2)?,
            patch: segment(3)?,
            pre: group(5).to_string(),
            metadata: group(8).to_string(),
            original: s.to_string(),
        };
        if !v.pre.is_empty() {
            validate_prerelease(&v.pre)?;
        }
        if !v.metadata.is_empty() {
            validate_metadata(&v.metadata)?;
        }
        Ok(v)
    }

    /// `Version.String()`: canonical form, without any leading `v`.
    pub fn canonical(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }

    /// `Version.Compare`: numeric segments, then prerelease (a release sorts after its
    /// prereleases); metadata is ignored.
    pub fn compare(&self, o: &Version) -> Ordering {
        let numbers = (self.major, self.minor, self.patch).cmp(&(o.major, o.minor, o.patch));
        if numbers != Ordering::Equal {
            return numbers;
        }
        match (self.pre.is_empty(), o.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_prerelease(&self.pre, &o.pre),
        }
    }

    /// The `v` the original text started with, kept by the `Inc*`/`Set*` methods.
    fn v_prefix(&self) -> &'static str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    /// Build a derived version the way `IncPatch` & co. do: `original` is re-rendered.
    fn derived(&self, major: u64, minor: u64, patch: u64, pre: &str, metadata: &str) -> Version {
        let mut v = Version {
            major,
            minor,
            patch,
            pre: pre.to_string(),
            metadata: metadata.to_string(),
            original: String::new(),
        };
        v.original = format!("{}{}", self.v_prefix(), v.canonical());
        v
    }

    fn inc_patch(&self) -> Version {
        // A prerelease or metadata is dropped without bumping the patch (semver spec item 9).
        let patch = if self.pre.is_empty() { self.patch + 1 } else { self.patch };
        self.derived(self.major, self.minor, patch, "", "")
    }

    fn inc_minor(&self) -> Version {
        self.derived(self.major, self.minor + 1, 0, "", "")
    }

    fn inc_major(&self) -> Version {
        self.derived(self.major + 1, 0, 0, "", "")
    }
}

/// `strconv.ParseUint(s, 10, 64)` error text for an all-digit string that overflows.
fn parse_uint(digits: &str) -> Result<u64, String> {
    digits.parse::<u64>().map_err(|_| format!("strconv.ParseUint: parsing {digits:?}: value out of range"))
}

fn is_numeric(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Prerelease identifiers: non-empty, `[0-9A-Za-z-]`, numeric ones without leading zeros.
fn validate_prerelease(p: &str) -> Result<(), String> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err("invalid prerelease string".into());
        } else if is_numeric(part) {
            if part.len() > 1 && part.starts_with('0') {
                return Err("version segment starts with 0".into());
            }
        } else if !part.bytes().all(is_ident_char) {
            return Err("invalid prerelease string".into());
        }
    }
    Ok(())
}

/// Metadata identifiers: non-empty, `[0-9A-Za-z-]` (leading zeros allowed).
fn validate_metadata(m: &str) -> Result<(), String> {
    if m.split('.').any(|part| part.is_empty() || !part.bytes().all(is_ident_char)) {
        return Err("invalid metadata string".into());
    }
    Ok(())
}

/// Dot-separated prerelease comparison; a missing identifier sorts first.
fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let (sa, sb): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for i in 0..sa.len().max(sb.len()) {
        let d = compare_pre_part(sa.get(i).copied().unwrap_or(""), sb.get(i).copied().unwrap_or(""));
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

/// Numbers sort before words; numbers compare numerically, words bytewise.
fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => s.as_bytes().cmp(o.as_bytes()),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        // Go's loop returns 1 or -1 here, never 0 (equal strings returned earlier; "01" vs "1"
        // cannot reach this point after validation).
        (Ok(x), Ok(y)) => {
            if x > y {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

// ---- the template object --------------------------------------------------------------------

/// A version as templates see it: `semver` returns a `*semver.Version`, whose methods are all
/// callable; `IncPatch` & co. return a plain `semver.Version` value, on which text/template
/// cannot call the pointer-receiver methods (`Original`, `LessThan`, `Compare`, ...).
struct VersionObject {
    v: Version,
    pointer: bool,
}

impl VersionObject {
    fn pointer(v: Version) -> Value {
        Value::Object(Rc::new(VersionObject { v, pointer: true }))
    }

    fn value(v: Version) -> Value {
        Value::Object(Rc::new(VersionObject { v, pointer: false }))
    }
}

impl Object for VersionObject {
    fn type_name(&self) -> &str {
        if self.pointer {
            "*semver.Version"
        } else {
            "semver.Version"
        }
    }

    fn field(&self, name: &str) -> Option<Value> {
        let v = &self.v;
        let int = |n: u64| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
        Some(match name {
            "Major" => int(v.major),
            "Minor" => int(v.minor),
            "Patch" => int(v.patch),
            "Prerelease" => Value::str(v.pre.as_str()),
            "Metadata" => Value::str(v.metadata.as_str()),
            "Original" if self.pointer => Value::str(v.original.as_str()),
            "String" | "Value" => Value::str(v.canonical()),
            "IncPatch" => VersionObject::value(v.inc_patch()),
            "IncMinor" => VersionObject::value(v.inc_minor()),
            "IncMajor" => VersionObject::value(v.inc_major()),
            _ => return None,
        })
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let v = &self.v;
        match name {
            "SetPrerelease" => return Some(v.set_part(args, true)),
            "SetMetadata" => return Some(v.set_part(args, false)),
            _ if !self.pointer => return None,
            _ => {}
        }
        let cmp = |args: &[Value]| -> Result<Ordering, String> {
            let other = args.first().and_then(version_of).ok_or_else(|| {
                let got = args.first().map_or("<nil>".to_string(), Value::type_name);
                format!("wrong type for value; expected *semver.Version; got {got}")
            })?;
            Ok(v.compare(&other))
        };
        let result = match name {
            "LessThan" => cmp(args).map(|o| Value::Bool(o == Ordering::Less)),
            "LessThanEqual" => cmp(args).map(|o| Value::Bool(o != Ordering::Greater)),
            "GreaterThan" => cmp(args).map(|o| Value::Bool(o == Ordering::Greater)),
            "GreaterThanEqual" => cmp(args).map(|o| Value::Bool(o != Ordering::Less)),
            "Equal" => cmp(args).map(|o| Value::Bool(o == Ordering::Equal)),
            "Compare" => cmp(args).map(|o| Value::Int(o as i64)),
            _ => return None,
        };
        Some(result)
    }

    fn display(&self) -> String {
        self.v.canonical()
    }
}

impl Version {
    /// `SetPrerelease`/`SetMetadata`: validate, then rebuild `original`.
    fn set_part(&self, args: &[Value], prerelease: bool) -> Result<Value, String> {
        let text = match args.first() {
            Some(Value::Str(s)) => s.to_string(),
            other => {
                let got = other.map_or("<nil>".to_string(), Value::type_name);
                return Err(format!("wrong type for value; expected string; got {got}"));
            }
        };
        let next = if prerelease {
            if !text.is_empty() {
                validate_prerelease(&text)?;
            }
            self.derived(self.major, self.minor, self.patch, &text, &self.metadata)
        } else {
            if !text.is_empty() {
                validate_metadata(&text)?;
            }
            self.derived(self.major, self.minor, self.patch, &self.pre, &text)
        };
        Ok(VersionObject::value(next))
    }
}

/// Recover a version from a template value produced by `semver` (objects carry no downcast, so
/// it is rebuilt from the public accessors).
fn version_of(v: &Value) -> Option<Version> {
    let Value::Object(o) = v else { return None };
    if o.type_name() != "*semver.Version" {
        return None;
    }
    let num = |name: &str| match o.field(name) {
        Some(Value::Int(i)) => u64::try_from(i).ok(),
        _ => None,
    };
    let text = |name: &str| o.field(name).and_then(|f| f.as_str().map(str::to_string));
    Some(Version {
        major: num("Major")?,
        minor: num("Minor")?,
        patch: num("Patch")?,
        pre: text("Prerelease")?,
        metadata: text("Metadata")?,
        original: text("Original")?,
    })
}

// ---- constraints ----------------------------------------------------------------------------

/// One comparison of an AND group, as Masterminds' `constraint` struct.
struct Constraint {
    op: String,
    con: Version,
    /// The minor (and so the patch) was `x`/omitted: `1`, `1.x`.
    minor_dirty: bool,
    /// The patch was `x`/omitted: `1.2`, `1.2.x`.
    patch_dirty: bool,
    /// Any part was a wildcard or omitted (including a `*`/`x` major).
    dirty: bool,
}

/// `||`-separated AND groups, each remembering whether it names a prerelease.
struct Constraints {
    groups: Vec<(Vec<Constraint>, bool)>,
}

/// RE2's `\s` is ASCII-only; Rust's is Unicode, so spell it out.
macro_rules! ws {
    () => {
        r"[\t\n\f\r ]"
    };
}

/// `cvRegex`: a constraint's version, wildcards allowed (and, as upstream, a literal `|`).
macro_rules! cv {
    () => {
        concat!(
            r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?",
            r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?",
            r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
        )
    };
}

/// The operator alternation, in upstream order (the empty alternative is deliberate).
macro_rules! ops {
    () => {
        r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"
    };
}

static CONSTRAINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!("^", ws!(), "*(", ops!(), ")", ws!(), "*(", cv!(), ")", ws!(), "*$")).expect("static regex")
});

static CONSTRAINT_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(ws!(), "*(", cv!(), ")", ws!(), "+-", ws!(), "+(", cv!(), ")", ws!(), "*"))
        .expect("static regex")
});

static FIND_CONSTRAINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(concat!("(", ops!(), ")", ws!(), "*(", cv!(), ")")).expect("static regex"));

static VALID_CONSTRAINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        "^(",
        ws!(),
        "*(",
        ops!(),
        ")",
        ws!(),
        "*(",
        cv!(),
        ")",
        ws!(),
        "*)((?:",
        ws!(),
        "+|,",
        ws!(),
        "*)(",
        ops!(),
        ")",
        ws!(),
        "*(",
        cv!(),
        ")",
        ws!(),
        "*)*$"
    ))
    .expect("static regex")
});

impl Constraints {
    /// `semver.NewConstraint`.
    fn parse(text: &str) -> Result<Constraints, String> {
        let text = rewrite_range(text);
        let mut groups = Vec::new();
        for group in text.split("||") {
            if !VALID_CONSTRAINT.is_match(group) {
                return Err(format!("improper constraint: {group}"));
            }
            let mut parts: Vec<&str> = FIND_CONSTRAINT.find_iter(group).map(|m| m.as_str()).collect();
            if parts.is_empty() {
                parts.push(group);
            }
            let parsed = parts.into_iter().map(parse_constraint).collect::<Result<Vec<_>, _>>()?;
            let has_pre = parsed.iter().any(|c| !c.con.pre.is_empty());
            groups.push((parsed, has_pre));
        }
        Ok(Constraints { groups })
    }

    /// `Constraints.Check`: any AND group whose members all pass.
    fn check(&self, v: &Version) -> bool {
        self.groups.iter().any(|(group, has_pre)| group.iter().all(|c| c.check(v, *has_pre)))
    }
}

/// Hyphen ranges become `>= A, <= B ` (each match replaced once, in order, as upstream).
fn rewrite_range(text: &str) -> String {
    let mut out = text.to_string();
    for m in CONSTRAINT_RANGE.captures_iter(text) {
        let whole = m.get(0).map_or("", |g| g.as_str());
        let low = m.get(1).map_or("", |g| g.as_str());
        let high = m.get(11).map_or("", |g| g.as_str());
        out = out.replacen(whole, &format!(">= {low}, <= {high} "), 1);
    }
    out
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

/// `parseConstraint`: operator plus a possibly partial or wildcard version.
fn parse_constraint(text: &str) -> Result<Constraint, String> {
    if text.is_empty() {
        // Upstream treats an empty constraint as `*`; validation makes this unreachable, but
        // keep the behaviour.
        let con = Version::parse("0.0.0")?;
        return Ok(Constraint { op: String::new(), con, minor_dirty: false, patch_dirty: false, dirty: true });
    }
    let m = CONSTRAINT.captures(text).ok_or_else(|| format!("improper constraint: {text}"))?;
    let group = |i: usize| m.get(i).map_or("", |g| g.as_str());
    let (major, minor, patch, pre) = (group(3), group(4), group(5), group(6));
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let version = if is_x(major) || major.is_empty() {
        dirty = true;
        format!("0.0.0{pre}")
    } else if is_x(minor.trim_start_matches('.')) || minor.is_empty() {
        minor_dirty = true;
        dirty = true;
        format!("{major}.0.0{pre}")
    } else if is_x(patch.trim_start_matches('.')) || patch.is_empty() {
        dirty = true;
        patch_dirty = true;
        format!("{major}{minor}.0{pre}")
    } else {
        group(2).to_string()
    };
    let con = Version::parse(&version).map_err(|_| "constraint parser error".to_string())?;
    Ok(Constraint { op: group(1).to_string(), con, minor_dirty, patch_dirty, dirty })
}

impl Constraint {
    /// Dispatch on the operator; `include_pre` is the AND group's "names a prerelease" flag.
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        // Every operator rejects prereleases unless the group asked for them (issue 21).
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        match self.op.as_str() {
            "" | "=" => self.tilde_or_equal(v),
            "!=" => self.not_equal(v),
            ">" => self.greater_than(v),
            "<" => v.compare(&self.con) == Ordering::Less,
            ">=" | "=>" => v.compare(&self.con) != Ordering::Less,
            "<=" | "=<" => self.less_than_equal(v),
            "~" | "~>" => self.tilde(v),
            "^" => self.caret(v),
            _ => false,
        }
    }

    /// A bare or `=` version: exact, unless it has wildcards, in which case it acts like `~`.
    fn tilde_or_equal(&self, v: &Version) -> bool {
        if self.dirty {
            return self.tilde(v);
        }
        v.compare(&self.con) == Ordering::Equal
    }

    fn not_equal(&self, v: &Version) -> bool {
        let c = &self.con;
        if self.dirty {
            if c.major != v.major {
                return true;
            }
            if c.minor != v.minor && !self.minor_dirty {
                return true;
            } else if self.minor_dirty {
                return false;
            } else if c.patch != v.patch && !self.patch_dirty {
                return true;
            } else if self.patch_dirty {
                if !v.pre.is_empty() || !c.pre.is_empty() {
                    return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                }
                return false;
            }
        }
        v.compare(c) != Ordering::Equal
    }

    /// `>1` means 2.0.0 or later and `>1.2` means 1.3.0 or later.
    fn greater_than(&self, v: &Version) -> bool {
        let c = &self.con;
        if !self.dirty {
            return v.compare(c) == Ordering::Greater;
        }
        if v.major > c.major {
            return true;
        } else if v.major < c.major || self.minor_dirty {
            return false;
        } else if self.patch_dirty {
            return v.minor > c.minor;
        }
        v.compare(c) == Ordering::Greater
    }

    /// `<=1.2` includes every 1.2.x.
    fn less_than_equal(&self, v: &Version) -> bool {
        let c = &self.con;
        if !self.dirty {
            return v.compare(c) != Ordering::Greater;
        }
        if v.major > c.major {
            return false;
        }
        !(v.major == c.major && v.minor > c.minor && !self.minor_dirty)
    }

    /// `~1.2.3` is `>=1.2.3 <1.3.0`; `~1` is `>=1.0.0 <2.0.0`.
    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        // ~0.0.0 (and `*`) accepts everything.
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }

    /// `^1.2.3` is `>=1.2.3 <2.0.0`; below 1.0 the first non-zero part is fixed.
    fn caret(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 {
            return false;
        }
        c.patch == v.patch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::render::funcs::test_call as call;

    fn cmp(constraint: &str, version: &str) -> bool {
        match call("semverCompare", &[Value::str(constraint), Value::str(version)]) {
            Ok(Value::Bool(b)) => b,
            other => panic!("{constraint} vs {version}: {other:?}"),
        }
    }

    #[test]
    fn kube_version_checks_as_charts_write_them() {
        // The `-0` suffix opts the group into prereleases, so it matches GitVersions with a
        // `v` prefix and also EKS/GKE-style prerelease builds.
        assert!(cmp(">=1.19-0", "v1.36.0"));
        assert!(cmp(">= 1.21.0-0", "v1.36.0"));
        assert!(cmp(">=1.19-0", "v1.30.2-eks-1234"));
        assert!(!cmp("<1.25.0-0", "v1.36.0"));
        assert!(cmp("<1.25.0-0", "v1.24.9"));
        // Without a prerelease in the constraint, prerelease versions never match.
        assert!(!cmp(">=1.19", "v1.30.2-eks-1234"));
        assert!(cmp(">=1.19", "1.30.2+k3s1"));
    }

    #[test]
    fn caret_tilde_and_wildcards() {
        // ^1.2 is >=1.2.0 <2.0.0.
        assert!(cmp("^1.2", "1.9.9"));
        assert!(!cmp("^1.2", "2.0.0"));
        assert!(!cmp("^1.2", "1.1.9"));
        // ^0.2.3 fixes the minor; ^0.0.3 fixes the patch.
        assert!(cmp("^0.2.3", "0.2.9"));
        assert!(!cmp("^0.2.3", "0.3.0"));
        assert!(!cmp("^0.0.3", "0.0.4"));
        // ~1.2.3 is >=1.2.3 <1.3.0.
        assert!(cmp("~1.2.3", "1.2.9"));
        assert!(!cmp("~1.2.3", "1.3.0"));
        assert!(cmp("~>1.2", "1.2.0"));
        // 1.2.x acts like ~1.2; * matches every release.
        assert!(cmp("1.2.x", "1.2.7"));
        assert!(!cmp("1.2.x", "1.3.0"));
        assert!(cmp("*", "0.0.1"));
        assert!(cmp("1.X", "1.9.0"));
    }

    #[test]
    fn comparison_operators_and_combinators() {
        // Spaces and commas are AND, || is OR.
        assert!(cmp(">=1.4 <2", "1.9.0"));
        assert!(!cmp(">=1.4 <2", "2.0.0"));
        assert!(cmp(">=1.4, <2", "1.4.0"));
        assert!(cmp("<1.0 || >=3", "3.1.0"));
        assert!(!cmp("<1.0 || >=3", "2.0.0"));
        // Alternate spellings of >= and <=.
        assert!(cmp("=>1.2", "1.2.0"));
        assert!(cmp("=<1.2", "1.2.9"));
        // <=1.2 includes all of 1.2.x; >1.2 starts at 1.3.0.
        assert!(cmp("<=1.2", "1.2.99"));
        assert!(!cmp(">1.2", "1.2.5"));
        assert!(cmp(">1.2", "1.3.0"));
        // != with and without wildcards.
        assert!(!cmp("!=1.2.3", "1.2.3"));
        assert!(cmp("!=1.2.3", "1.2.4"));
        assert!(!cmp("!=1.2.x", "1.2.4"));
        // = and bare versions are exact (metadata ignored, v prefix and partials accepted).
        assert!(cmp("=1.2.3", "v1.2.3+build"));
        assert!(cmp("1.2.3", "1.2.3"));
        assert!(!cmp("1.2.3", "1.2.4"));
    }

    #[test]
    fn hyphen_ranges() {
        // `1.2 - 1.4.5` is >=1.2 <=1.4.5.
        assert!(cmp("1.2 - 1.4.5", "1.3.0"));
        assert!(cmp("1.2 - 1.4.5", "1.4.5"));
        assert!(!cmp("1.2 - 1.4.5", "1.4.6"));
        assert!(!cmp("1.2 - 1.4.5", "1.1.9"));
    }

    #[test]
    fn prerelease_ordering() {
        // Numeric identifiers sort numerically and before alphanumerics.
        assert!(cmp(">1.0.0-alpha.2", "1.0.0-alpha.10"));
        assert!(cmp(">1.0.0-alpha", "1.0.0-beta"));
        assert!(cmp(">1.0.0-alpha.1", "1.0.0-alpha.beta"));
        assert!(cmp("<1.0.0", "0.9.0"));
    }

    #[test]
    fn errors_carry_upstream_messages() {
        // Constraint errors name the offending OR group; version errors are the library's.
        assert_eq!(
            call("semverCompare", &[Value::str(">= foo"), Value::str("1.0.0")]),
            Err(FuncError::Call("improper constraint: >= foo".into()))
        );
        assert_eq!(
            call("semverCompare", &[Value::str(">=1.0"), Value::str("not-a-version")]),
            Err(FuncError::Call("invalid semantic version".into()))
        );
        assert_eq!(
            call("semverCompare", &[Value::str(""), Value::str("1.0.0")]),
            Err(FuncError::Call("improper constraint: ".into()))
        );
        // Typed string parameters reject other types.
        assert_eq!(
            call("semverCompare", &[Value::str(">=1"), Value::Float(1.0)]),
            Err(FuncError::WrongType { expected: "string", got: "float64".into() })
        );
        assert_eq!(constraint_matches(">=1.0", "1.2.3-01"), Err("version segment starts with 0".into()));
        assert!(!Registry::standard().contains("mustSemverCompare"));
    }

    /// Upstream's own check tables (constraints_test.go), run through the full parser.
    #[test]
    fn upstream_constraint_tables() {
        let cases: &[(&str, &str, bool)] = &[
            ("=2.0", "2.0.1", true),
            ("!=4.1", "4.1.1", false),
            ("!=4.1", "5.1.0-alpha.1", false),
            ("!=4.1-alpha", "4.1.0", true),
            ("<11", "11.1.0", false),
            ("<=11", "11.2.3", true),
            ("<=1.1", "1.2.3", false),
            (">0", "0", false),
            (">0", "1", true),
            (">0", "0.0.1-alpha", false),
            (">0-0", "0.0.1-alpha", false),
            (">0.0-0", "0.0.1-alpha", false),
            (">0.0.0-0", "0.0.0-alpha", true),
            (">1.2.3-alpha.1", "1.3.3-alpha.2", true),
            (">11", "11.1.0", false),
            (">11.1", "11.1.1", false),
            (">11.1", "11.2.1", true),
            (">=0-0", "0.0.1-alpha", true),
            (">=0", "0.0.0-alpha", false),
            (">=0.0.0-0", "3.4.5-beta.1", true),
            ("<0", "0.0.0-alpha", false),
            ("<0-z", "0.0.0-alpha", true),
            ("=0", "1", false),
            ("*", "1.2.3-alpha.1", false),
            ("*-0", "1.2.3-alpha.1", true),
            ("2.*", "3.4.5", false),
            ("2.1.*", "2.2.1", false),
            ("2", "2.1.1", true),
            ("~1.2.3-beta.2", "1.2.4-beta.2", true),
            ("~1.2.3-beta.2", "1.3.4-beta.2", false),
            ("^1.2.0", "1.2.1-alpha.1", false),
            ("^1.2.0-alpha.0", "1.2.1-alpha.1", true),
            ("^1.2.0-alpha.2", "1.2.0-alpha.1", false),
            ("^0.0", "0.0.3", true),
            ("^0.0", "0.1.4", false),
            ("^0", "0.2.3", true),
            ("^0", "1.1.4", false),
            ("^0.2.3-beta.2", "0.2.4-beta.2", true),
            ("~0.0.0", "1.2.3", true),
            ("0.x.x", "1.2.3", false),
            ("0.0.x", "1.2.3", false),
            ("^0.0.0", "1.2.3", false),
            ("1.x", "1.4", true),
            ("!=4.1-alpha", "4.1.0-alpha", false),
            ("!=4.1-alpha", "4.1.1-alpha", false),
            ("!=4.x", "5.1.0", true),
            ("!=4.x", "4.1.0", false),
            ("!=4.1.x", "4.2.0", true),
            ("!=4.2.x", "4.2.3", false),
            ("<1.x", "1.1.1", false),
            ("<1.x", "0.1.1", true),
            ("<1.1.x", "1.1.500", false),
            ("<1.1.x", "1.0.500", true),
            (">=1.1", "4.1.0-beta", false),
            ("<=1.1-a", "0.1.0-alpha", true),
            ("<=2.x", "3.0.0", false),
            ("<=1.1.x", "1.2.500", false),
            ("<=4.5", "3.7.0", true),
            ("<=4.5", "4.6.3", false),
            (">1.1, <2", "1.1.1", false),
            (">1.1, <3", "4.3.2", false),
            (">=1.1, <2, !=1.2.3", "1.2.3", false),
            (">1.1    <3", "4.3.2", false),
            (">=1.1, <2, !=1.2.3 || > 3", "4.1.2", true),
            (">=1.1, <2, !=1.2.3 || > 3", "3.0.0", false),
            (">=1.1 <2 !=1.2.3 || >= 3", "3.0.0", true),
            ("> 1.1, <     2", "1.1.1", false),
            (">   1.1, <2", "1.2.1", true),
            (">=1.1    < 2    != 1.2.3", "1.2.3", false),
            (">= 1.1 <2 != 1.2.3 || > 3", "4.1.2", true),
            ("1.1 - 2", "1.1.1", true),
            ("1.5.0 - 4.5", "3.7.0", true),
            ("1.1-3", "4.3.2", false),
            ("^1.x", "1.1.1-beta1", false),
            ("^1.1.2-alpha", "1.2.1-beta1", true),
            ("^1.2.x-alpha", "1.1.1-beta1", false),
            ("^0.0.1", "0.3.1", false),
            ("~*", "2.1.1", true),
            ("~1", "1.4", true),
            ("~1.x", "2.1.1", false),
            ("~1.1", "1.1.1-alpha", false),
            ("~1.1-alpha", "1.1.1-beta", true),
            ("~1.1.1-beta", "1.1.1-alpha", false),
            ("~1.1.1-beta", "1.1.1", true),
            ("~1.2.3", "1.2.2", false),
            ("~1.3", "2.4.5", false),
            ("1.0.0 - 2.0.0 <=2.0.0", "1.5.0", true),
            ("1.0.0 - 2.0.0, <=2.0.0", "1.5.0", true),
            ("12.3.34 ~1.2.3", "1.2.3", false),
            ("v2.3.5-20161202202307-sha.e8fc5e5", "2.3.5-20161202202307-sha.e8fc5e5", true),
        ];
        for &(c, v, want) in cases {
            assert_eq!(cmp(c, v), want, "{c} vs {v}");
        }
        // Malformed constraints, including four-part versions (upstream issue 185).
        for bad in [">= bar", "BAR >= 1.2.3", "12.3.4.1234", "12.3.34~ 1.2.3"] {
            assert!(constraint_matches(bad, "1.0.0").is_err(), "{bad}");
        }
    }

    #[test]
    fn range_rewriting_matches_upstream() {
        // Each hyphen range becomes ">= A, <= B " in place.
        assert_eq!(rewrite_range("2 - 3, 4.0.0 - 5.1"), ">= 2, <= 3 ,>= 4.0.0, <= 5.1 ");
        assert_eq!(rewrite_range("1.0.0 - 2.0.0 <=2.0.0"), ">= 1.0.0, <= 2.0.0 <=2.0.0");
    }

    #[test]
    fn semver_object_exposes_version_methods() {
        let v = call("semver", &[Value::str("v1.2.3-beta.1+build.5")]).expect("parses");
        let Value::Object(o) = &v else { panic!("not an object") };
        assert_eq!(o.type_name(), "*semver.Version");
        assert_eq!(o.field("Major"), Some(Value::Int(1)));
        assert_eq!(o.field("Minor"), Some(Value::Int(2)));
        assert_eq!(o.field("Patch"), Some(Value::Int(3)));
        assert_eq!(o.field("Prerelease"), Some(Value::str("beta.1")));
        assert_eq!(o.field("Metadata"), Some(Value::str("build.5")));
        assert_eq!(o.field("Original"), Some(Value::str("v1.2.3-beta.1+build.5")));
        // %v prints String(): canonical, without the v.
        assert_eq!(v.to_string(), "1.2.3-beta.1+build.5");
        // IncPatch on a prerelease drops it without bumping; the v prefix survives in Original.
        let inc = o.field("IncPatch").expect("method");
        assert_eq!(inc.to_string(), "1.2.3");
        // ... and is a plain semver.Version: pointer methods such as Original are not callable.
        let Value::Object(inc_obj) = &inc else { panic!() };
        assert_eq!(inc_obj.type_name(), "semver.Version");
        assert_eq!(inc_obj.field("Original"), None);
        assert_eq!(inc_obj.call("LessThan", std::slice::from_ref(&v)), None);
        // SetPrerelease validates and returns a value version.
        let pre = o.call("SetPrerelease", &[Value::str("rc.1")]).expect("method").expect("valid");
        assert_eq!(pre.to_string(), "1.2.3-rc.1+build.5");
        assert_eq!(o.call("SetPrerelease", &[Value::str("01")]), Some(Err("version segment starts with 0".into())));
        // Value versions are not *semver.Version arguments.
        assert!(matches!(o.call("Equal", std::slice::from_ref(&inc)), Some(Err(_))));
        // Comparison methods take another version.
        let other = call("semver", &[Value::str("1.3")]).expect("parses");
        assert_eq!(o.call("LessThan", std::slice::from_ref(&other)), Some(Ok(Value::Bool(true))));
        assert_eq!(o.call("Compare", std::slice::from_ref(&other)), Some(Ok(Value::Int(-1))));
        assert!(matches!(o.call("Equal", &[Value::Int(1)]), Some(Err(_))));
        // Partial versions are coerced.
        assert_eq!(call("semver", &[Value::str("2")]).expect("parses").to_string(), "2.0.0");
        assert_eq!(call("semver", &[Value::str("bad")]), Err(FuncError::Call("invalid semantic version".into())));
    }
}
