//! Masterminds/semver v3 versions and constraints, as Helm uses them for `kubeVersion` and for
//! matching `dependencies[].version` against the charts found in `charts/`.
//!
//! The patterns are Masterminds' own regular expressions (RE2 syntax, which the `regex` crate
//! shares), so odd inputs such as `[0-9|x]` accepting a literal `|` behave exactly as in Go.
//! The template functions (`semverCompare`, `semver`) have their own copy in `funcs/semver.rs`.

use std::cmp::Ordering;
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

const SEMVER_RE: &str =
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const CV_RE: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

static VERSION: LazyLock<Regex> = LazyLock::new(|| re(&format!("^{SEMVER_RE}$")));
static CONSTRAINT: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^\s*({OPS})\s*({CV_RE})\s*$")));
static RANGE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"\s*({CV_RE})\s+-\s+({CV_RE})\s*")));
static FIND: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"({OPS})\s*({CV_RE})")));
static VALID: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"^(\s*({OPS})\s*({CV_RE})\s*)((?:\s+|,\s*)({OPS})\s*({CV_RE})\s*)*$")));

fn re(pattern: &str) -> Regex {
    // The patterns are constants; a failure here is a programming error caught by every test.
    Regex::new(pattern).unwrap_or_else(|e| panic!("invalid built-in semver pattern: {e}"))
}

/// A parsed version (`NewVersion`: lenient, `v` prefix and missing minor/patch allowed).
#[derive(Clone, Debug)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
    pub original: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SemverError(pub String);

impl fmt::Display for SemverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Version {
    pub fn parse(text: &str) -> Result<Version, SemverError> {
        let caps = VERSION.captures(text).ok_or_else(|| SemverError("Invalid Semantic Version".into()))?;
        let seg = |i: usize| -> Result<u64, SemverError> {
            match caps.get(i) {
                None => Ok(0),
                Some(m) => {
                    let digits = m.as_str().trim_start_matches('.');
                    digits.parse::<u64>().map_err(|_| {
                        SemverError(format!(
                            "Error parsing version segment: strconv.ParseUint: parsing {digits:?}: value out of range"
                        ))
                    })
                }
            }
        };
        let version = Version {
            major: seg(1)?,
            minor: seg(2)?,
            patch: seg(3)?,
            pre: caps.get(5).map_or("", |m| m.as_str()).to_string(),
            metadata: caps.get(8).map_or("", |m| m.as_str()).to_string(),
            original: text.to_string(),
        };
        // Numeric prerelease identifiers may not have leading zeros (semver 2.0 §9).
        if !version.pre.is_empty() {
            for part in version.pre.split('.') {
                if part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(SemverError("Version segment starts with 0".into()));
                }
            }
        }
        Ok(version)
    }

    /// Masterminds `Compare`: numbers, then prerelease (a release sorts after its prereleases);
    /// build metadata is ignored.
    pub fn compare(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch).cmp(&(other.major, other.minor, other.patch)).then_with(|| {
            match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &other.pre),
            }
        })
    }
}

/// `String()`: normalized, without the `v` prefix.
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let (pa, pb): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for i in 0..pa.len().max(pb.len()) {
        let d = compare_pre_part(pa.get(i).copied().unwrap_or(""), pb.get(i).copied().unwrap_or(""));
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    let (sn, on) = (s.parse::<u64>().ok(), o.parse::<u64>().ok());
    if o.is_empty() {
        return if sn.is_some() { Ordering::Greater } else { Ordering::Less };
    }
    if s.is_empty() {
        return if on.is_some() { Ordering::Less } else { Ordering::Greater };
    }
    match (sn, on) {
        (None, None) => s.cmp(o),
        // Numeric identifiers have lower precedence than alphanumeric ones.
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(&y),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

#[derive(Clone, Debug)]
struct Single {
    op: Op,
    con: Version,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// `||`-separated groups of constraints that must all hold.
#[derive(Clone, Debug)]
pub struct Constraints {
    groups: Vec<Vec<Single>>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

impl Constraints {
    pub fn parse(text: &str) -> Result<Constraints, SemverError> {
        let text = rewrite_ranges(text);
        let mut groups = Vec::new();
        for part in text.split("||") {
            if !VALID.is_match(part) {
                return Err(SemverError(format!("improper constraint: {part}")));
            }
            let found: Vec<&str> = FIND.find_iter(part).map(|m| m.as_str()).collect();
            let pieces = if found.is_empty() { vec![part] } else { found };
            groups.push(pieces.into_iter().map(parse_single).collect::<Result<Vec<_>, _>>()?);
        }
        Ok(Constraints { groups })
    }

    pub fn check(&self, v: &Version) -> bool {
        self.groups.iter().any(|group| group.iter().all(|c| c.check(v)))
    }
}

/// `1.2 - 1.4.5` becomes `>= 1.2, <= 1.4.5`.
fn rewrite_ranges(text: &str) -> String {
    let mut out = text.to_string();
    for caps in RANGE.captures_iter(text) {
        let (Some(all), Some(lo), Some(hi)) = (caps.get(0), caps.get(1), caps.get(11)) else { continue };
        out = out.replacen(all.as_str(), &format!(">= {}, <= {}", lo.as_str(), hi.as_str()), 1);
    }
    out
}

fn parse_single(text: &str) -> Result<Single, SemverError> {
    if text.is_empty() {
        // The empty constraint means "any version".
        let con = Version::parse("0.0.0")?;
        return Ok(Single { op: Op::TildeOrEqual, con, minor_dirty: false, patch_dirty: false, dirty: true });
    }
    let caps = CONSTRAINT.captures(text).ok_or_else(|| SemverError(format!("improper constraint: {text}")))?;
    let group = |i: usize| caps.get(i).map_or("", |m| m.as_str());
    let op = match group(1) {
        "" | "=" => Op::TildeOrEqual,
        "!=" => Op::NotEqual,
        ">" => Op::Greater,
        "<" => Op::Less,
        ">=" | "=>" => Op::GreaterEqual,
        "<=" | "=<" => Op::LessEqual,
        "~" | "~>" => Op::Tilde,
        _ => Op::Caret,
    };
    let (major, minor, patch, pre) = (group(3), group(4), group(5), group(6));
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let version_text = if is_x(major) || major.is_empty() {
        dirty = true;
        format!("0.0.0{pre}")
    } else if is_x(minor.trim_start_matches('.')) || minor.is_empty() {
        minor_dirty = true;
        dirty = true;
        format!("{major}.0.0{pre}")
    } else if is_x(patch.trim_start_matches('.')) || patch.is_empty() {
        patch_dirty = true;
        dirty = true;
        format!("{major}{minor}.0{pre}")
    } else {
        group(2).to_string()
    };
    let con = Version::parse(&version_text).map_err(|_| SemverError("constraint Parser Error".into()))?;
    Ok(Single { op, con, minor_dirty, patch_dirty, dirty })
}

impl Single {
    fn check(&self, v: &Version) -> bool {
        // A prerelease only satisfies constraints that themselves name a prerelease.
        if !v.pre.is_empty() && self.con.pre.is_empty() {
            return false;
        }
        let c = &self.con;
        match self.op {
            Op::TildeOrEqual => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == Ordering::Equal
                }
            }
            Op::NotEqual => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    }
                    if self.minor_dirty {
                        return false;
                    }
                    if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    }
                    if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                v.compare(c) != Ordering::Equal
            }
            Op::Greater => {
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major != c.major {
                    return v.major > c.major;
                }
                if self.minor_dirty {
                    return false;
                }
                if self.patch_dirty {
                    return v.minor > c.minor;
                }
                v.compare(c) == Ordering::Greater
            }
            Op::Less => v.compare(c) == Ordering::Less,
            Op::GreaterEqual => v.compare(c) != Ordering::Less,
            Op::LessEqual => {
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                if v.major > c.major {
                    return false;
                }
                !(v.major == c.major && v.minor > c.minor && !self.minor_dirty)
            }
            Op::Tilde => self.tilde(v),
            Op::Caret => {
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
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) == Ordering::Less {
            return false;
        }
        // ~0.0.0 accepts everything.
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }
}

/// Helm's `chartutil.IsCompatibleRange`: false when either side does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    match (Constraints::parse(constraint), Version::parse(version)) {
        (Ok(c), Ok(v)) => c.check(&v),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(c: &str, v: &str) -> bool {
        is_compatible_range(c, v)
    }

    // Cases from Masterminds/semver constraints_test.go (TestConstraintsCheck).
    #[test]
    fn masterminds_cases() {
        assert!(ok("*", "1.2.3"));
        assert!(!ok("*", "1.2.3-alpha"));
        assert!(ok("1.x", "1.4.0"));
        assert!(!ok("1.x", "2.0.0"));
        assert!(ok(">=1.1 <2", "1.1.1"));
        assert!(ok(">=1.1, <2", "1.9.9"));
        assert!(!ok(">=1.1 <2", "2.0.0"));
        assert!(ok("~1.2.3", "1.2.9"));
        assert!(!ok("~1.2.3", "1.3.0"));
        assert!(ok("^1.2.3", "1.9.0"));
        assert!(!ok("^1.2.3", "2.0.0"));
        assert!(ok("^0.2.3", "0.2.9"));
        assert!(!ok("^0.2.3", "0.3.0"));
        assert!(ok("1.1 - 2", "1.5.0"));
        assert!(!ok("1.1 - 2", "3.0.0"));
        assert!(ok("<1.1 || >2", "3.0.0"));
        assert!(ok("!=4.1", "5.1.0"));
        assert!(!ok("!=4.1", "4.1.0"));
        assert!(ok(">1.1", "1.2.0"));
        assert!(!ok(">1", "1.9.0"));
        assert!(ok("<=1.1", "1.1.9"));
        // Oracle: `semverCompare "" ...` is "improper constraint", so an empty dependency
        // version never matches a chart.
        assert!(!ok("", "4.5.6"));
        assert!(!ok("> 1.2.3 > 2", "1.5.0"));
    }

    // The kubeVersion forms charts use, against Helm 4.2.3's default v1.36.0 (oracle: the
    // corpus charts with kubeVersion render).
    #[test]
    fn kube_version_constraints() {
        assert!(ok(">=1.19.0-0", "v1.36.0"));
        assert!(ok(">= 1.25.0-0", "v1.36.0"));
        assert!(ok(">=1.16.0-0 <2.0.0-0", "v1.36.0"));
        assert!(!ok("<1.20", "v1.36.0"));
        assert!(ok(">=1.23.0-0", "1.36.0"));
        assert!(!ok(">=1.19.0", "v1.36.0-rc.1"));
        assert!(ok(">=1.19.0-0", "v1.36.0-rc.1"));
    }

    #[test]
    fn versions() {
        assert!(Version::parse("1").is_ok());
        assert!(Version::parse("v1.2").is_ok());
        assert!(Version::parse("1.2.3-beta.1+build").is_ok());
        assert!(Version::parse("1.2.3.4").is_err());
        assert!(Version::parse("1.2.3-01").is_err());
        assert!(Version::parse("latest").is_err());
        assert_eq!(Version::parse("v1.2").map(|v| v.to_string()), Ok("1.2.0".to_string()));
        let order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0"];
        for pair in order.windows(2) {
            let (a, b) = (Version::parse(pair[0]).ok(), Version::parse(pair[1]).ok());
            assert_eq!(a.zip(b).map(|(a, b)| a.compare(&b)), Some(Ordering::Less), "{pair:?}");
        }
    }

    #[test]
    fn improper_constraints() {
        assert!(Constraints::parse("foo").is_err());
        assert!(Constraints::parse(">=1.0 ||").is_err());
        assert!(!is_compatible_range(">=1.0", "not-a-version"));
    }
}
