//! Template functions: dates and durations (Sprig's date.go on top of Go's `time` package).
//!
//! Times are [`GoTime`] objects: an instant (Unix seconds + nanoseconds) plus the fixed offset
//! and zone abbreviation it displays in, printing like Go's `time.Time.String()`. Formatting,
//! parsing (`toDate`) and duration syntax are ports of Go's `time/format.go`, reference-time
//! layouts and error messages included.
//!
//! Determinism: `now` is `CallCtx::now_unix` and the machine's `Local` zone is taken to be UTC
//! (as on CI machines running `helm template`); `now` carries no monotonic-clock suffix
//! (Go prints `m=+0.000…` after it). `dateInZone` knows `UTC`, `Local`, the `Etc/GMT±N` fixed
//! zones and the UTC/GMT aliases; any other zone name is rendered in UTC, which is what Sprig
//! does for names Go cannot load (but not for real IANA zones such as `Europe/Paris`).

use std::rc::Rc;

use super::{arity, expect_str, CallCtx, FuncError, FuncResult, Registry};
use crate::render::value::{Object, Value};

pub fn register(r: &mut Registry) {
    r.add("now", now);
    r.add("date", date);
    r.add("dateInZone", date_in_zone);
    r.add("date_in_zone", date_in_zone);
    r.add("htmlDate", html_date);
    r.add("htmlDateInZone", html_date_in_zone);
    r.add("dateModify", date_modify);
    r.add("date_modify", date_modify);
    r.add("mustDateModify", must_date_modify);
    r.add("must_date_modify", must_date_modify);
    r.add("ago", ago);
    r.add("duration", duration);
    r.add("durationRound", duration_round);
    r.add("toDate", to_date);
    r.add("mustToDate", must_to_date);
    r.add("unixEpoch", unix_epoch);
}

const NANOS_PER_SEC: i64 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;
/// Unix seconds of Go's zero `time.Time` (January 1, year 1, UTC).
const ZERO_TIME_UNIX: i64 = -62_135_596_800;

// ---- the functions --------------------------------------------------------------------------

/// `now`: the run's fixed instant, in the (UTC) local zone.
fn now(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 0)?;
    Ok(GoTime::now(ctx).into_value())
}

/// `date FORMAT DATE` (local zone).
fn date(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let layout = expect_str(&args[0])?;
    Ok(Value::str(format_in_zone(ctx, layout, &args[1], "Local")))
}

/// `dateInZone FORMAT DATE ZONE`.
fn date_in_zone(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 3)?;
    let layout = expect_str(&args[0])?;
    let zone = expect_str(&args[2])?;
    Ok(Value::str(format_in_zone(ctx, layout, &args[1], zone)))
}

/// `htmlDate DATE`: `2006-01-02` in the local zone.
fn html_date(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::str(format_in_zone(ctx, "2006-01-02", &args[0], "Local")))
}

/// `htmlDateInZone DATE ZONE`.
fn html_date_in_zone(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let zone = expect_str(&args[1])?;
    Ok(Value::str(format_in_zone(ctx, "2006-01-02", &args[0], zone)))
}

/// Sprig's `dateInZone`: a `time.Time` or Unix seconds (`int`, `int64`, `int32`), anything
/// else meaning "now"; zones Go cannot load fall back to UTC.
fn format_in_zone(ctx: &CallCtx, layout: &str, date: &Value, zone: &str) -> String {
    let t = match date {
        Value::Int(secs) => GoTime::unix(*secs, 0),
        other => GoTime::from_value(other).unwrap_or_else(|| GoTime::now(ctx)),
    };
    let (offset, name) = load_location(zone);
    t.in_zone(offset, &name).format(layout)
}

/// `dateModify DURATION TIME`: the time moved by a Go duration; unparseable durations leave it.
fn date_modify(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let spec = expect_str(&args[0])?;
    let t = expect_time(&args[1])?;
    Ok(match parse_duration(spec) {
        Ok(d) => t.add(d),
        Err(_) => t,
    }
    .into_value())
}

/// `mustDateModify`: as `dateModify`, but a bad duration is an error.
fn must_date_modify(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let spec = expect_str(&args[0])?;
    let t = expect_time(&args[1])?;
    let d = parse_duration(spec).map_err(FuncError::Call)?;
    Ok(t.add(d).into_value())
}

/// `ago DATE`: time since DATE, rounded to seconds (`time.Time`, `int`, `int64`; else now).
fn ago(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let now = GoTime::now(ctx);
    let t = match &args[0] {
        Value::Int(secs) => GoTime::unix(*secs, 0),
        other => GoTime::from_value(other).unwrap_or_else(|| now.clone()),
    };
    Ok(Value::str(duration_string(round_duration(now.sub(&t), NANOS_PER_SEC))))
}

/// `duration SECONDS`: a count of seconds (string or `int64`) as a Go duration string.
fn duration(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let secs = match &args[0] {
        Value::Str(s) => parse_int64_clamped(s),
        // Go's `int` literals are not `int64` and read as 0 upstream; this value model cannot
        // tell them apart from Sprig's int64 math results, so both count as seconds here.
        Value::Int(i) => *i,
        _ => 0,
    };
    Ok(Value::str(duration_string(secs.wrapping_mul(NANOS_PER_SEC))))
}

/// `strconv.ParseInt(s, 10, 64)` as Sprig uses it: syntax errors give 0, overflow clamps.
fn parse_int64_clamped(s: &str) -> i64 {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    match s.parse::<i64>() {
        Ok(n) => n,
        Err(_) if neg => i64::MIN,
        Err(_) => i64::MAX,
    }
}

/// `durationRound D`: the largest whole unit of a duration (string, int64 nanoseconds, or the
/// time since a `time.Time`), years and months counted as 365 and 30 days.
fn duration_round(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    let d = match &args[0] {
        Value::Str(s) => parse_duration(s).unwrap_or(0),
        Value::Int(ns) => *ns,
        other => GoTime::from_value(other).map_or(0, |t| GoTime::now(ctx).sub(&t)),
    };
    Ok(Value::str(round_to_unit(d)))
}

fn round_to_unit(d: i64) -> String {
    const HOUR: u64 = 3_600 * NANOS_PER_SEC as u64;
    let units: [(u64, &str); 6] = [
        (HOUR * 24 * 365, "y"),
        (HOUR * 24 * 30, "mo"),
        (HOUR * 24, "d"),
        (HOUR, "h"),
        (60 * NANOS_PER_SEC as u64, "m"),
        (NANOS_PER_SEC as u64, "s"),
    ];
    let u = d.unsigned_abs();
    for (size, suffix) in units {
        if u > size {
            return format!("{}{suffix}", u / size);
        }
    }
    "0s".to_string()
}

/// `toDate LAYOUT TEXT`: parse in the local zone; failures give Go's zero time.
fn to_date(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let layout = expect_str(&args[0])?;
    let text = expect_str(&args[1])?;
    Ok(parse_time(layout, text).unwrap_or_else(|_| GoTime::zero()).into_value())
}

/// `mustToDate`: as `toDate`, but a parse failure is an error.
fn must_to_date(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let layout = expect_str(&args[0])?;
    let text = expect_str(&args[1])?;
    parse_time(layout, text).map(GoTime::into_value).map_err(FuncError::Call)
}

/// `unixEpoch TIME`: Unix seconds as a string.
fn unix_epoch(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::str(expect_time(&args[0])?.unix.to_string()))
}

/// A Go `time.Time` parameter.
fn expect_time(v: &Value) -> Result<GoTime, FuncError> {
    match v {
        Value::Nil => Err(FuncError::InvalidNil { expected: "time.Time" }),
        other => GoTime::from_value(other)
            .ok_or_else(|| FuncError::WrongType { expected: "time.Time", got: other.type_name() }),
    }
}

/// `time.LoadLocation` for the zones this port knows: (offset seconds, abbreviation).
fn load_location(name: &str) -> (i32, String) {
    const UTC_ALIASES: [&str; 10] =
        ["", "UTC", "Local", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"];
    const GMT_ALIASES: [&str; 10] = [
        "GMT",
        "Etc/GMT",
        "Etc/GMT+0",
        "Etc/GMT-0",
        "Etc/GMT0",
        "GMT+0",
        "GMT-0",
        "GMT0",
        "Etc/Greenwich",
        "Greenwich",
    ];
    if UTC_ALIASES.contains(&name) {
        return (0, "UTC".into());
    }
    if GMT_ALIASES.contains(&name) {
        return (0, "GMT".into());
    }
    // POSIX-style names: Etc/GMT+5 is five hours *west* of Greenwich, abbreviated "-05".
    if let Some(rest) = name.strip_prefix("Etc/GMT") {
        let hours = rest.strip_prefix('+').and_then(|h| h.parse::<i32>().ok().filter(|h| (1..=12).contains(h)));
        let hours = hours
            .map(|h| -h)
            .or_else(|| rest.strip_prefix('-').and_then(|h| h.parse::<i32>().ok().filter(|h| (1..=14).contains(h))));
        if let Some(h) = hours {
            let sign = if h < 0 { '-' } else { '+' };
            return (h * 3_600, format!("{sign}{:02}", h.abs()));
        }
    }
    // Unknown (or unsupported IANA) zone: UTC, as Sprig falls back to when loading fails.
    (0, "UTC".into())
}

// ---- the time value -------------------------------------------------------------------------

/// A Go `time.Time`: an instant and the fixed zone it is shown in.
#[derive(Clone, Debug, PartialEq)]
pub struct GoTime {
    /// Seconds since the Unix epoch.
    pub unix: i64,
    /// Nanoseconds within the second, `0..1e9`.
    pub nanos: u32,
    /// Zone offset, seconds east of UTC.
    pub offset: i32,
    /// Zone abbreviation; empty for an unnamed fixed offset (printed as `-0700`).
    pub zone: Rc<str>,
}

/// Hidden fields that let functions rebuild a time from a template value (objects carry no
/// downcast); no template identifier can spell them.
const FIELD_OFFSET: &str = "\0offset";
const FIELD_ZONE: &str = "\0zone";

impl GoTime {
    pub fn unix(unix: i64, nanos: u32) -> GoTime {
        GoTime { unix, nanos, offset: 0, zone: Rc::from("UTC") }
    }

    pub fn now(ctx: &CallCtx) -> GoTime {
        GoTime::unix(ctx.now_unix, 0)
    }

    /// Go's zero `time.Time`.
    pub fn zero() -> GoTime {
        GoTime::unix(ZERO_TIME_UNIX, 0)
    }

    pub fn into_value(self) -> Value {
        Value::Object(Rc::new(self))
    }

    /// The time inside a template value, if it holds one.
    pub fn from_value(v: &Value) -> Option<GoTime> {
        let Value::Object(o) = v else { return None };
        if o.type_name() != "time.Time" {
            return None;
        }
        let int = |name: &str| match o.field(name) {
            Some(Value::Int(i)) => Some(i),
            _ => None,
        };
        Some(GoTime {
            unix: int("Unix")?,
            nanos: u32::try_from(int("Nanosecond")?).ok()?,
            offset: i32::try_from(int(FIELD_OFFSET)?).ok()?,
            zone: match o.field(FIELD_ZONE) {
                Some(Value::Str(ref s)) => Rc::clone(s),
                _ => return None,
            },
        })
    }

    fn in_zone(&self, offset: i32, zone: &str) -> GoTime {
        GoTime { offset, zone: Rc::from(zone), ..self.clone() }
    }

    /// `Add`: move by a duration in nanoseconds.
    fn add(&self, d: i64) -> GoTime {
        let total = i128::from(self.nanos) + i128::from(d % NANOS_PER_SEC);
        let carry = total.div_euclid(i128::from(NANOS_PER_SEC)) as i64;
        GoTime {
            unix: self.unix.saturating_add(d / NANOS_PER_SEC).saturating_add(carry),
            nanos: total.rem_euclid(i128::from(NANOS_PER_SEC)) as u32,
            ..self.clone()
        }
    }

    /// `Sub`: `self - other` in nanoseconds, saturating like Go's.
    fn sub(&self, other: &GoTime) -> i64 {
        let ns = (i128::from(self.unix) - i128::from(other.unix)) * i128::from(NANOS_PER_SEC) + i128::from(self.nanos)
            - i128::from(other.nanos);
        ns.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// `AddDate`: calendar arithmetic with Go's normalisation (Oct 31 + 1 month = Dec 1).
    fn add_date(&self, years: i64, months: i64, days: i64) -> GoTime {
        let c = self.civil();
        let unix = date_to_unix(
            c.year + years,
            i64::from(c.month) + months,
            i64::from(c.day) + days,
            i64::from(c.hour) * 3_600 + i64::from(c.minute) * 60 + i64::from(c.second),
            self.offset,
        );
        GoTime { unix, ..self.clone() }
    }

    /// Calendar fields in the time's own zone.
    fn civil(&self) -> Civil {
        let local = self.unix + i64::from(self.offset);
        let days = local.div_euclid(SECS_PER_DAY);
        let secs = local.rem_euclid(SECS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            yday: (days - days_from_civil(year, 1, 1) + 1) as u32,
            weekday: (days + 4).rem_euclid(7) as usize, // 1970-01-01 was a Thursday
            hour: (secs / 3_600) as u32,
            minute: (secs / 60 % 60) as u32,
            second: (secs % 60) as u32,
        }
    }

    /// `Time.String()`.
    pub fn go_string(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }

    /// `Time.Format(layout)`.
    pub fn format(&self, layout: &str) -> String {
        let c = self.civil();
        let mut out = String::with_capacity(layout.len() + 10);
        let mut rest = layout.as_bytes();
        while !rest.is_empty() {
            let (prefix, std, suffix) = next_std_chunk(rest);
            out.push_str(&String::from_utf8_lossy(prefix));
            if std == Std::None {
                break;
            }
            rest = suffix;
            self.format_element(&mut out, std, &c);
        }
        out
    }

    fn format_element(&self, b: &mut String, std: Std, c: &Civil) {
        let hour12 = if c.hour.is_multiple_of(12) { 12 } else { c.hour % 12 };
        match std {
            Std::Year => push_int(b, c.year.abs() % 100, 2),
            Std::LongYear => push_int(b, c.year, 4),
            Std::Month => b.push_str(&MONTHS[c.month as usize - 1][..3]),
            Std::LongMonth => b.push_str(MONTHS[c.month as usize - 1]),
            Std::NumMonth => push_int(b, c.month.into(), 0),
            Std::ZeroMonth => push_int(b, c.month.into(), 2),
            Std::WeekDay => b.push_str(&DAYS[c.weekday][..3]),
            Std::LongWeekDay => b.push_str(DAYS[c.weekday]),
            Std::Day => push_int(b, c.day.into(), 0),
            Std::UnderDay => {
                if c.day < 10 {
                    b.push(' ');
                }
                push_int(b, c.day.into(), 0);
            }
            Std::ZeroDay => push_int(b, c.day.into(), 2),
            Std::UnderYearDay => {
                b.push_str(match c.yday {
                    0..=9 => "  ",
                    10..=99 => " ",
                    _ => "",
                });
                push_int(b, c.yday.into(), 0);
            }
            Std::ZeroYearDay => push_int(b, c.yday.into(), 3),
            Std::Hour => push_int(b, c.hour.into(), 2),
            Std::Hour12 => push_int(b, hour12.into(), 0),
            Std::ZeroHour12 => push_int(b, hour12.into(), 2),
            Std::Minute => push_int(b, c.minute.into(), 0),
            Std::ZeroMinute => push_int(b, c.minute.into(), 2),
            Std::Second => push_int(b, c.second.into(), 0),
            Std::ZeroSecond => push_int(b, c.second.into(), 2),
            Std::PM => b.push_str(if c.hour >= 12 { "PM" } else { "AM" }),
            Std::Pm => b.push_str(if c.hour >= 12 { "pm" } else { "am" }),
            Std::Tz => {
                if self.zone.is_empty() {
                    // No name known: Go prints the -0700 form.
                    push_offset(b, self.offset, false, true, false);
                } else {
                    b.push_str(&self.zone);
                }
            }
            Std::Offset { z, colon, minutes, seconds } => {
                if z && self.offset == 0 {
                    b.push('Z');
                } else {
                    push_offset(b, self.offset, colon, minutes, seconds);
                }
            }
            Std::Frac { digits, comma, trim } => push_nanos(b, self.nanos, digits, comma, trim),
            Std::None => {}
        }
    }
}

/// Go's `appendInt`: sign, then at least `width` zero-padded digits.
fn push_int(b: &mut String, x: i64, width: usize) {
    if x < 0 {
        b.push('-');
    }
    b.push_str(&format!("{:0width$}", x.unsigned_abs()));
}

/// A numeric zone offset: `±hh`, then `mm` and `ss` as asked, colon-separated or not.
fn push_offset(b: &mut String, offset: i32, colon: bool, minutes: bool, seconds: bool) {
    let abs = offset.unsigned_abs();
    b.push(if offset < 0 { '-' } else { '+' });
    push_int(b, (abs / 3_600).into(), 2);
    if colon {
        b.push(':');
    }
    if minutes {
        push_int(b, (abs / 60 % 60).into(), 2);
    }
    if seconds {
        if colon {
            b.push(':');
        }
        push_int(b, (abs % 60).into(), 2);
    }
}

/// Go's `appendNano`: `.000` keeps trailing zeros, `.999` trims them (and the dot).
fn push_nanos(b: &mut String, nanos: u32, digits: usize, comma: bool, trim: bool) {
    if trim && (digits == 0 || nanos == 0) {
        return;
    }
    let mut frac = format!("{nanos:09}");
    frac.truncate(digits.min(9));
    if trim {
        frac.truncate(frac.trim_end_matches('0').len());
        if frac.is_empty() {
            return;
        }
    }
    b.push(if comma { ',' } else { '.' });
    b.push_str(&frac);
}

struct Civil {
    year: i64,
    month: u32,
    day: u32,
    yday: u32,
    weekday: usize,
    hour: u32,
    minute: u32,
    second: u32,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1..=12).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Go's `Date(...)` for a fixed offset: months and days may overflow and are normalised.
fn date_to_unix(year: i64, month: i64, day: i64, secs_of_day: i64, offset: i32) -> i64 {
    let m0 = month - 1;
    let year = year + m0.div_euclid(12);
    let month = m0.rem_euclid(12) as u32 + 1;
    let days = days_from_civil(year, month, 1) + day - 1;
    days * SECS_PER_DAY + secs_of_day - i64::from(offset)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(month: u32, year: i64) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days before the first of `month` in a non-leap year (Go's `daysBefore`).
fn days_before(month: u32) -> u32 {
    (1..month).map(|m| days_in_month(m, 1)).sum()
}

impl Object for GoTime {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn field(&self, name: &str) -> Option<Value> {
        let c = self.civil();
        let int = |i: i64| Some(Value::Int(i));
        match name {
            "Year" => int(c.year),
            // time.Month and time.Weekday print as names.
            "Month" => Some(Value::str(MONTHS[c.month as usize - 1])),
            "Weekday" => Some(Value::str(DAYS[c.weekday])),
            "Day" => int(c.day.into()),
            "YearDay" => int(c.yday.into()),
            "Hour" => int(c.hour.into()),
            "Minute" => int(c.minute.into()),
            "Second" => int(c.second.into()),
            "Nanosecond" => int(self.nanos.into()),
            "Unix" => int(self.unix),
            "UnixMilli" => int(self.unix.saturating_mul(1_000) + i64::from(self.nanos / 1_000_000)),
            "UnixMicro" => int(self.unix.saturating_mul(1_000_000) + i64::from(self.nanos / 1_000)),
            "UnixNano" => int(self.unix.wrapping_mul(NANOS_PER_SEC).wrapping_add(self.nanos.into())),
            "IsZero" => Some(Value::Bool(self.unix == ZERO_TIME_UNIX && self.nanos == 0)),
            "UTC" | "Local" => Some(self.in_zone(0, "UTC").into_value()),
            "String" => Some(Value::str(self.go_string())),
            FIELD_OFFSET => int(self.offset.into()),
            FIELD_ZONE => Some(Value::Str(self.zone.clone())),
            _ => None,
        }
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let result = match name {
            "Format" => match args {
                [Value::Str(layout)] => Ok(Value::str(self.format(layout))),
                _ => Err(method_arg_error(args, "string")),
            },
            "Add" => match args {
                [Value::Int(d)] => Ok(self.add(*d).into_value()),
                _ => Err(method_arg_error(args, "time.Duration")),
            },
            "AddDate" => match args {
                [Value::Int(y), Value::Int(m), Value::Int(d)] => Ok(self.add_date(*y, *m, *d).into_value()),
                _ => Err(method_arg_error(args, "int")),
            },
            "Before" | "After" | "Equal" => match args.first().and_then(GoTime::from_value) {
                Some(other) => {
                    let ord = self.sub(&other).signum();
                    Ok(Value::Bool(match name {
                        "Before" => ord < 0,
                        "After" => ord > 0,
                        _ => ord == 0,
                    }))
                }
                None => Err(method_arg_error(args, "time.Time")),
            },
            _ => return None,
        };
        Some(result)
    }

    fn display(&self) -> String {
        self.go_string()
    }
}

fn method_arg_error(args: &[Value], expected: &str) -> String {
    let got = args.first().map_or("<nil>".to_string(), Value::type_name);
    format!("wrong type for value; expected {expected}; got {got}")
}

// ---- layouts --------------------------------------------------------------------------------

/// One element of a reference-time layout (Go's `std*` constants).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Std {
    None,
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    Tz,
    /// Numeric offsets: `z` prints `Z` for UTC; `minutes`/`seconds` say which parts follow hours.
    Offset {
        z: bool,
        colon: bool,
        minutes: bool,
        seconds: bool,
    },
    /// Fractional seconds: `,` or `.` then `digits` zeros (kept) or nines (`trim`).
    Frac {
        digits: usize,
        comma: bool,
        trim: bool,
    },
}

/// Go's `nextStdChunk`: the literal text before the first layout element, the element, and
/// the rest.
fn next_std_chunk(layout: &[u8]) -> (&[u8], Std, &[u8]) {
    let at = |i: usize, s: &str| layout.get(i..i + s.len()) == Some(s.as_bytes());
    for i in 0..layout.len() {
        let found = |len: usize, std: Std| Some((&layout[..i], std, &layout[i + len..]));
        let hit = match layout[i] {
            b'J' if at(i, "January") => found(7, Std::LongMonth),
            b'J' if at(i, "Jan") && !starts_lower(&layout[i + 3..]) => found(3, Std::Month),
            b'M' if at(i, "Monday") => found(6, Std::LongWeekDay),
            b'M' if at(i, "Mon") && !starts_lower(&layout[i + 3..]) => found(3, Std::WeekDay),
            b'M' if at(i, "MST") => found(3, Std::Tz),
            b'0' => match layout.get(i + 1) {
                Some(b'1') => found(2, Std::ZeroMonth),
                Some(b'2') => found(2, Std::ZeroDay),
                Some(b'3') => found(2, Std::ZeroHour12),
                Some(b'4') => found(2, Std::ZeroMinute),
                Some(b'5') => found(2, Std::ZeroSecond),
                Some(b'6') => found(2, Std::Year),
                _ if at(i, "002") => found(3, Std::ZeroYearDay),
                _ => None,
            },
            b'1' if at(i, "15") => found(2, Std::Hour),
            b'1' => found(1, Std::NumMonth),
            b'2' if at(i, "2006") => found(4, Std::LongYear),
            b'2' => found(1, Std::Day),
            // `_2006` is a literal underscore followed by the year.
            b'_' if at(i, "_2006") => Some((&layout[..i + 1], Std::LongYear, &layout[i + 5..])),
            b'_' if at(i, "_2") => found(2, Std::UnderDay),
            b'_' if at(i, "__2") => found(3, Std::UnderYearDay),
            b'3' => found(1, Std::Hour12),
            b'4' => found(1, Std::Minute),
            b'5' => found(1, Std::Second),
            b'P' if at(i, "PM") => found(2, Std::PM),
            b'p' if at(i, "pm") => found(2, Std::Pm),
            b'-' | b'Z' => offset_chunk(&layout[i..]).map(|(len, std)| (&layout[..i], std, &layout[i + len..])),
            b'.' | b',' => frac_chunk(&layout[i..]).map(|(len, std)| (&layout[..i], std, &layout[i + len..])),
            _ => None,
        };
        if let Some(chunk) = hit {
            return chunk;
        }
    }
    (layout, Std::None, &[])
}

/// Stops `Jan`/`Mon` from matching inside words like "Monthly".
fn starts_lower(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_lowercase)
}

/// `-070000 -07:00:00 -0700 -07:00 -07` and their `Z` forms, longest first as Go checks.
fn offset_chunk(s: &[u8]) -> Option<(usize, Std)> {
    let z = s[0] == b'Z';
    let body = &s[1..];
    let forms: [(&str, bool, bool, bool); 5] = [
        ("070000", false, true, true),
        ("07:00:00", true, true, true),
        ("0700", false, true, false),
        ("07:00", true, true, false),
        ("07", false, false, false),
    ];
    forms
        .iter()
        .find(|(form, ..)| body.starts_with(form.as_bytes()))
        .map(|&(form, colon, minutes, seconds)| (1 + form.len(), Std::Offset { z, colon, minutes, seconds }))
}

/// `.000`/`,999`…: a run of zeros or nines not followed by another digit.
fn frac_chunk(s: &[u8]) -> Option<(usize, Std)> {
    let ch = *s.get(1)?;
    if ch != b'0' && ch != b'9' {
        return None;
    }
    let run = s[1..].iter().take_while(|&&c| c == ch).count();
    if s.get(1 + run).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((1 + run, Std::Frac { digits: run, comma: s[0] == b',', trim: ch == b'9' }))
}

// ---- parsing --------------------------------------------------------------------------------

/// What `time.ParseInLocation(layout, value, time.Local)` returns, Local being UTC.
fn parse_time(layout: &str, value: &str) -> Result<GoTime, String> {
    Parser { layout, value }.run()
}

struct Parser<'a> {
    layout: &'a str,
    value: &'a str,
}

/// Fields gathered while parsing (Go's locals in `parse`).
struct Fields {
    year: i64,
    month: i64,
    day: i64,
    yday: i64,
    hour: i64,
    min: i64,
    sec: i64,
    nsec: i64,
    utc: bool,
    zone_offset: Option<i64>,
    zone_name: String,
    am: bool,
    pm: bool,
}

/// Why one layout element failed: Go's `errBad` or a range error.
enum ElemError {
    Bad,
    Range(&'static str),
}

impl Parser<'_> {
    /// `parsing time "VALUE" as "LAYOUT": cannot parse "REST" as "ELEM"`.
    fn cannot_parse(&self, rest: &[u8], elem: &[u8]) -> String {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            go_quote(self.value.as_bytes()),
            go_quote(self.layout.as_bytes()),
            go_quote(rest),
            go_quote(elem)
        )
    }

    /// `parsing time "VALUE"MESSAGE`.
    fn message(&self, message: &str) -> String {
        format!("parsing time {}{message}", go_quote(self.value.as_bytes()))
    }

    fn run(&self) -> Result<GoTime, String> {
        let mut f = Fields {
            year: 0,
            month: -1,
            day: -1,
            yday: -1,
            hour: 0,
            min: 0,
            sec: 0,
            nsec: 0,
            utc: false,
            zone_offset: None,
            zone_name: String::new(),
            am: false,
            pm: false,
        };
        let mut layout = self.layout.as_bytes();
        let mut value = self.value.as_bytes();
        loop {
            let (prefix, std, suffix) = next_std_chunk(layout);
            let elem = &layout[prefix.len()..layout.len() - suffix.len()];
            value = skip(value, prefix).map_err(|rest| self.cannot_parse(rest, prefix))?;
            if std == Std::None {
                if !value.is_empty() {
                    return Err(self.message(&format!(": extra text: {}", go_quote(value))));
                }
                break;
            }
            layout = suffix;
            let hold = value;
            match parse_element(std, value, layout, &mut f) {
                Ok(rest) => value = rest,
                Err(ElemError::Range(what)) => return Err(self.message(&format!(": {what} out of range"))),
                Err(ElemError::Bad) => return Err(self.cannot_parse(hold, elem)),
            }
        }
        self.finish(f)
    }

    /// Resolve AM/PM, day-of-year and the zone, then build the time.
    fn finish(&self, mut f: Fields) -> Result<GoTime, String> {
        if f.pm && f.hour < 12 {
            f.hour += 12;
        } else if f.am && f.hour == 12 {
            f.hour = 0;
        }
        if f.yday >= 0 {
            let (m, d) = self.month_day_of_year(&f)?;
            if f.month >= 0 && f.month != m {
                return Err(self.message(": day-of-year does not match month"));
            }
            if f.day >= 0 && f.day != d {
                return Err(self.message(": day-of-year does not match day"));
            }
            f.month = m;
            f.day = d;
        } else {
            if f.month < 0 {
                f.month = 1;
            }
            if f.day < 0 {
                f.day = 1;
            }
        }
        let month = f.month as u32;
        if f.day < 1 || f.day > i64::from(days_in_month(month, f.year)) {
            return Err(self.message(": day out of range"));
        }
        let secs_of_day = f.hour * 3_600 + f.min * 60 + f.sec;
        let utc_unix = date_to_unix(f.year, f.month, f.day, secs_of_day, 0) + f.nsec.div_euclid(NANOS_PER_SEC);
        let nanos = f.nsec.rem_euclid(NANOS_PER_SEC) as u32;
        let mut t = GoTime::unix(utc_unix, nanos);
        if f.utc {
            return Ok(t);
        }
        if let Some(offset) = f.zone_offset {
            t.unix -= offset;
            // The local zone (UTC) is used when it has this offset and name; otherwise a fixed
            // zone records the offset.
            if offset == 0 && (f.zone_name.is_empty() || f.zone_name == "UTC") {
                return Ok(t);
            }
            return Ok(GoTime { offset: offset as i32, zone: Rc::from(f.zone_name.as_str()), ..t });
        }
        if !f.zone_name.is_empty() {
            // An abbreviation the local zone does not know: zero offset, except GMT±h.
            let offset = f.zone_name.strip_prefix("GMT").filter(|r| !r.is_empty()).map_or(0, |r| {
                let hours = r.trim_start_matches('+').parse::<i32>().unwrap_or(0);
                hours * 3_600
            });
            return Ok(GoTime { offset, zone: Rc::from(f.zone_name.as_str()), ..t });
        }
        Ok(t)
    }

    /// Go's conversion of a day of the year into month and day.
    fn month_day_of_year(&self, f: &Fields) -> Result<(i64, i64), String> {
        let mut yday = f.yday;
        if is_leap(f.year) {
            if yday == 31 + 29 {
                return Ok((2, 29));
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if !(1..=365).contains(&yday) {
            return Err(self.message(": day-of-year out of range"));
        }
        let mut m = (yday - 1) / 31 + 1;
        if i64::from(days_before(m as u32 + 1)) < yday {
            m += 1;
        }
        Ok((m, yday - i64::from(days_before(m as u32))))
    }
}

/// Match the literal `prefix`, where any run of spaces matches any run of spaces. On failure
/// the error carries the input left at that point (Go reports it).
fn skip<'v>(mut value: &'v [u8], mut prefix: &[u8]) -> Result<&'v [u8], &'v [u8]> {
    while let Some(&p) = prefix.first() {
        if p == b' ' {
            if value.first().is_some_and(|&c| c != b' ') {
                return Err(value);
            }
            prefix = trim_spaces(prefix);
            value = trim_spaces(value);
            continue;
        }
        if value.first() != Some(&p) {
            return Err(value);
        }
        prefix = &prefix[1..];
        value = &value[1..];
    }
    Ok(value)
}

fn trim_spaces(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| c == b' ').count();
    &s[n..]
}

/// Parse one layout element from the front of `value`; returns what is left.
fn parse_element<'v>(std: Std, value: &'v [u8], layout_rest: &[u8], f: &mut Fields) -> Result<&'v [u8], ElemError> {
    match std {
        Std::Year => {
            let digits = value.get(..2).ok_or(ElemError::Bad)?;
            let y = atoi(digits).ok_or(ElemError::Bad)?;
            f.year = if y >= 69 { y + 1900 } else { y + 2000 };
            Ok(&value[2..])
        }
        Std::LongYear => {
            if value.len() < 4 || !value[0].is_ascii_digit() {
                return Err(ElemError::Bad);
            }
            f.year = atoi(&value[..4]).ok_or(ElemError::Bad)?;
            Ok(&value[4..])
        }
        Std::Month | Std::LongMonth => {
            let names: Vec<&str> = MONTHS.iter().map(|m| if std == Std::Month { &m[..3] } else { m }).collect();
            let (i, rest) = lookup(&names, value).ok_or(ElemError::Bad)?;
            f.month = i as i64 + 1;
            Ok(rest)
        }
        Std::NumMonth | Std::ZeroMonth => {
            let (m, rest) = getnum(value, std == Std::ZeroMonth).ok_or(ElemError::Bad)?;
            if !(1..=12).contains(&m) {
                return Err(ElemError::Range("month"));
            }
            f.month = m;
            Ok(rest)
        }
        Std::WeekDay | Std::LongWeekDay => {
            let names: Vec<&str> = DAYS.iter().map(|d| if std == Std::WeekDay { &d[..3] } else { d }).collect();
            lookup(&names, value).map(|(_, rest)| rest).ok_or(ElemError::Bad)
        }
        Std::Day | Std::UnderDay | Std::ZeroDay => {
            let value = if std == Std::UnderDay && value.first() == Some(&b' ') { &value[1..] } else { value };
            let (d, rest) = getnum(value, std == Std::ZeroDay).ok_or(ElemError::Bad)?;
            f.day = d;
            Ok(rest)
        }
        Std::UnderYearDay | Std::ZeroYearDay => {
            let mut value = value;
            for _ in 0..2 {
                if std == Std::UnderYearDay && value.first() == Some(&b' ') {
                    value = &value[1..];
                }
            }
            let (d, rest) = getnum3(value, std == Std::ZeroYearDay).ok_or(ElemError::Bad)?;
            f.yday = d;
            Ok(rest)
        }
        Std::Hour => parse_clock(value, false, 24, "hour", &mut f.hour),
        Std::Hour12 | Std::ZeroHour12 => parse_clock(value, std == Std::ZeroHour12, 13, "hour", &mut f.hour),
        Std::Minute | Std::ZeroMinute => parse_clock(value, std == Std::ZeroMinute, 60, "minute", &mut f.min),
        Std::Second | Std::ZeroSecond => {
            let rest = parse_clock(value, std == Std::ZeroSecond, 60, "second", &mut f.sec)?;
            parse_implicit_fraction(rest, layout_rest, f)
        }
        Std::PM | Std::Pm => {
            let word = value.get(..2).ok_or(ElemError::Bad)?;
            let (am, pm): (&[u8], &[u8]) = if std == Std::PM { (b"AM", b"PM") } else { (b"am", b"pm") };
            if word == pm {
                f.pm = true;
            } else if word == am {
                f.am = true;
            } else {
                return Err(ElemError::Bad);
            }
            Ok(&value[2..])
        }
        Std::Offset { z, colon, minutes, seconds } => {
            if z && value.first() == Some(&b'Z') {
                f.utc = true;
                return Ok(&value[1..]);
            }
            parse_offset(value, colon, minutes, seconds, f)
        }
        Std::Tz => {
            if value.starts_with(b"UTC") {
                f.utc = true;
                return Ok(&value[3..]);
            }
            let n = parse_time_zone(value).ok_or(ElemError::Bad)?;
            f.zone_name = String::from_utf8_lossy(&value[..n]).into_owned();
            Ok(&value[n..])
        }
        Std::Frac { digits, trim: false, .. } => {
            let n = 1 + digits;
            if value.len() < n {
                return Err(ElemError::Bad);
            }
            f.nsec = parse_nanoseconds(value, n)?;
            Ok(&value[n..])
        }
        Std::Frac { trim: true, .. } => {
            if value.len() < 2 || !matches!(value[0], b'.' | b',') || !value[1].is_ascii_digit() {
                return Ok(value); // fraction omitted
            }
            let n = 1 + value[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            f.nsec = parse_nanoseconds(value, n)?;
            Ok(&value[n..])
        }
        Std::None => Ok(value),
    }
}

/// An hour, minute or second field with its range check (`limit` is exclusive).
fn parse_clock<'v>(
    value: &'v [u8],
    fixed: bool,
    limit: i64,
    what: &'static str,
    slot: &mut i64,
) -> Result<&'v [u8], ElemError> {
    let (n, rest) = getnum(value, fixed).ok_or(ElemError::Bad)?;
    *slot = n;
    if n >= limit {
        return Err(ElemError::Range(what));
    }
    Ok(rest)
}

/// Seconds may be followed by a fraction even when the layout has none.
fn parse_implicit_fraction<'v>(value: &'v [u8], layout_rest: &[u8], f: &mut Fields) -> Result<&'v [u8], ElemError> {
    if value.len() < 2 || !matches!(value[0], b'.' | b',') || !value[1].is_ascii_digit() {
        return Ok(value);
    }
    if matches!(next_std_chunk(layout_rest).1, Std::Frac { .. }) {
        return Ok(value); // the layout's own fraction element takes it
    }
    let n = 2 + value[2..].iter().take_while(|c| c.is_ascii_digit()).count();
    f.nsec = parse_nanoseconds(value, n)?;
    Ok(&value[n..])
}

/// A numeric zone offset in one of the five shapes (Go's order of checks: range errors win
/// over a bad sign, and a bad field leaves the later ones at zero).
fn parse_offset<'v>(
    value: &'v [u8],
    colon: bool,
    minutes: bool,
    seconds: bool,
    f: &mut Fields,
) -> Result<&'v [u8], ElemError> {
    // Total length and where the minute and second digits start, per shape.
    let (len, mm, ss): (usize, Option<usize>, Option<usize>) = match (colon, minutes, seconds) {
        (true, _, true) => (9, Some(4), Some(7)),
        (true, _, false) => (6, Some(4), None),
        (false, _, true) => (7, Some(3), Some(5)),
        (false, true, false) => (5, Some(3), None),
        (false, false, false) => (3, None, None),
    };
    if value.len() < len || (colon && (value[3] != b':' || (seconds && value[6] != b':'))) {
        return Err(ElemError::Bad);
    }
    let two = |at: Option<usize>| match at {
        Some(i) => getnum(&value[i..i + 2], true).map(|(n, _)| n),
        None => Some(0),
    };
    let mut bad = false;
    let mut field = |at: Option<usize>| -> i64 {
        if bad {
            return 0;
        }
        two(at).unwrap_or_else(|| {
            bad = true;
            0
        })
    };
    let (hr, min, sec) = (field(Some(1)), field(mm), field(ss));
    let range = if sec > 60 {
        Some("time zone offset second")
    } else if min > 60 {
        Some("time zone offset minute")
    } else if hr > 24 {
        Some("time zone offset hour")
    } else {
        None
    };
    let offset = (hr * 60 + min) * 60 + sec;
    f.zone_offset = Some(if value[0] == b'-' { -offset } else { offset });
    if let Some(what) = range {
        return Err(ElemError::Range(what));
    }
    if bad || !matches!(value[0], b'+' | b'-') {
        return Err(ElemError::Bad);
    }
    Ok(&value[len..])
}

/// Go's `parseTimeZone`: the length of a zone abbreviation at the front of `value`.
fn parse_time_zone(value: &[u8]) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.starts_with(b"ChST") || value.starts_with(b"MeST") {
        return Some(4);
    }
    if value.starts_with(b"GMT") {
        return Some(3 + parse_signed_offset(&value[3..]));
    }
    if matches!(value[0], b'+' | b'-') {
        return Some(parse_signed_offset(value)).filter(|&n| n > 0);
    }
    let upper = value.iter().take(6).take_while(|c| c.is_ascii_uppercase()).count();
    match upper {
        5 if value[4] == b'T' => Some(5),
        4 if value[3] == b'T' || value.starts_with(b"WITA") => Some(4),
        3 => Some(3),
        _ => None,
    }
}

/// `+hh`/`-hh` with hh in 0..=23 (Go's `parseSignedOffset`); 0 if absent.
fn parse_signed_offset(value: &[u8]) -> usize {
    if !matches!(value.first(), Some(b'+' | b'-')) {
        return 0;
    }
    let digits = value[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return 0;
    }
    match atoi(&value[1..1 + digits]) {
        Some(x) if x <= 23 => 1 + digits,
        _ => 0,
    }
}

/// Case-insensitive name lookup (Go's `lookup`), returning the index and the rest.
fn lookup<'v>(names: &[&str], value: &'v [u8]) -> Option<(usize, &'v [u8])> {
    names.iter().enumerate().find_map(|(i, name)| {
        let head = value.get(..name.len())?;
        head.eq_ignore_ascii_case(name.as_bytes()).then(|| (i, &value[name.len()..]))
    })
}

/// One or two digits (exactly two if `fixed`).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let d0 = s.first().filter(|c| c.is_ascii_digit())?;
    match s.get(1).filter(|c| c.is_ascii_digit()) {
        Some(d1) => Some((i64::from(d0 - b'0') * 10 + i64::from(d1 - b'0'), &s[2..])),
        None if fixed => None,
        None => Some((i64::from(d0 - b'0'), &s[1..])),
    }
}

/// One to three digits (exactly three if `fixed`).
fn getnum3(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let n = s.iter().take(3).take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || (fixed && n != 3) {
        return None;
    }
    Some((atoi(&s[..n])?, &s[n..]))
}

/// Go's `atoi` for short fields: optional sign, then digits only.
fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut x: i64 = 0;
    for &d in digits {
        x = x.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
    }
    Some(if neg { -x } else { x })
}

/// A separator plus digits, scaled to nanoseconds (at most nine digits count).
fn parse_nanoseconds(value: &[u8], n: usize) -> Result<i64, ElemError> {
    if !matches!(value.first(), Some(b'.' | b',')) {
        return Err(ElemError::Bad);
    }
    let n = n.min(10);
    let ns = atoi(&value[1..n]).ok_or(ElemError::Bad)?;
    if ns < 0 {
        return Err(ElemError::Range("fractional second"));
    }
    Ok(ns * 10_i64.pow((10 - n) as u32))
}

/// Go's `time.quote`: double quotes, `\x` escapes for control and non-ASCII bytes.
fn go_quote(s: &[u8]) -> String {
    let mut out = String::from("\"");
    let text = String::from_utf8_lossy(s);
    let mut bytes_at = 0;
    for c in text.chars() {
        // Walk the original bytes alongside the decoded chars so invalid UTF-8 is escaped
        // byte by byte, as Go does.
        let width = if c == char::REPLACEMENT_CHARACTER && !s[bytes_at..].starts_with("\u{FFFD}".as_bytes()) {
            1
        } else {
            c.len_utf8()
        };
        if (c as u32) >= 0x80 || c < ' ' {
            for b in &s[bytes_at..bytes_at + width] {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        bytes_at += width;
    }
    out.push('"');
    out
}

// ---- durations ------------------------------------------------------------------------------

/// Go's `time.ParseDuration`, error messages included.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(text.as_bytes()));
    let mut s = text.as_bytes();
    let mut neg = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let int_len = s.iter().take_while(|c| c.is_ascii_digit()).count();
        let v = leading_int(&s[..int_len]).ok_or_else(invalid)?;
        s = &s[int_len..];
        let (mut frac, mut scale, mut frac_len) = (0_u64, 1_f64, 0);
        if s.first() == Some(&b'.') {
            s = &s[1..];
            frac_len = s.iter().take_while(|c| c.is_ascii_digit()).count();
            (frac, scale) = leading_fraction(&s[..frac_len]);
            s = &s[frac_len..];
        }
        if int_len == 0 && frac_len == 0 {
            return Err(invalid());
        }
        let unit_len = s.iter().take_while(|&&c| c != b'.' && !c.is_ascii_digit()).count();
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(text.as_bytes())));
        }
        let unit_text = &s[..unit_len];
        s = &s[unit_len..];
        let unit = duration_unit(unit_text).ok_or_else(|| {
            format!("time: unknown unit {} in duration {}", go_quote(unit_text), go_quote(text.as_bytes()))
        })?;
        let mut v = v.checked_mul(unit).filter(|&v| v <= 1 << 63).ok_or_else(invalid)?;
        if frac > 0 {
            v += (frac as f64 * (unit as f64 / scale)) as u64;
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        total = total.checked_add(v).filter(|&t| t <= 1 << 63).ok_or_else(invalid)?;
    }
    if neg {
        return Ok((total as i64).wrapping_neg());
    }
    i64::try_from(total).map_err(|_| invalid())
}

fn duration_unit(unit: &[u8]) -> Option<u64> {
    Some(match unit {
        b"ns" => 1,
        // "us", "µs" (micro sign U+00B5) and "μs" (Greek mu U+03BC).
        b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => 1_000,
        b"ms" => 1_000_000,
        b"s" => 1_000_000_000,
        b"m" => 60_000_000_000,
        b"h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Leading digits as an integer, failing past 2^63 (Go's `leadingInt`).
fn leading_int(digits: &[u8]) -> Option<u64> {
    let mut x: u64 = 0;
    for &d in digits {
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(d - b'0');
        if x > 1 << 63 {
            return None;
        }
    }
    Some(x)
}

/// Fraction digits: value and scale, precision silently capped (Go's `leadingFraction`).
fn leading_fraction(digits: &[u8]) -> (u64, f64) {
    let (mut x, mut scale) = (0_u64, 1_f64);
    for &d in digits {
        if x > (i64::MAX as u64) / 10 {
            break;
        }
        let y = x * 10 + u64::from(d - b'0');
        if y > 1 << 63 {
            break;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale)
}

/// Go's `Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
pub fn duration_string(d: i64) -> String {
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    let mut out = String::new();
    if u < NANOS_PER_SEC as u64 {
        if u == 0 {
            return "0s".into();
        }
        let (prec, unit) = match u {
            0..1_000 => (0, "ns"),
            1_000..1_000_000 => (3, "µs"),
            _ => (6, "ms"),
        };
        let (int, frac) = split_frac(u, prec);
        out.push_str(&int.to_string());
        out.push_str(&frac);
        out.push_str(unit);
    } else {
        let (secs, frac) = split_frac(u, 9);
        u = secs;
        let mut s = format!("{}{frac}s", u % 60);
        u /= 60;
        if u > 0 {
            s = format!("{}m{s}", u % 60);
            u /= 60;
            if u > 0 {
                s = format!("{u}h{s}");
            }
        }
        out.push_str(&s);
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

/// Integer part of `v / 10^prec` and the fraction as `.ddd` without trailing zeros.
fn split_frac(v: u64, prec: u32) -> (u64, String) {
    let scale = 10_u64.pow(prec);
    let (int, frac) = (v / scale, v % scale);
    if frac == 0 {
        return (int, String::new());
    }
    let digits = format!("{frac:0width$}", width = prec as usize);
    (int, format!(".{}", digits.trim_end_matches('0')))
}

/// Go's `Duration.Round(m)`: half away from zero, saturating.
fn round_duration(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    let r = d % m;
    let less_than_half = |x: i64| (x as u64).wrapping_add(x as u64) < m as u64;
    if d < 0 {
        let r = -r;
        if less_than_half(r) {
            return d + r;
        }
        return d.checked_sub(m - r).unwrap_or(i64::MIN);
    }
    if less_than_half(r) {
        return d - r;
    }
    d.checked_add(m - r).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::render::funcs::test_call as call;

    fn text(name: &str, args: &[Value]) -> String {
        match call(name, args) {
            Ok(v) => v.to_string(),
            Err(e) => panic!("{name}: {e:?}"),
        }
    }

    /// Go's reference time, Mon Jan 2 15:04:05 MST 2006 (as Unix seconds, UTC).
    const REFERENCE: i64 = 1_136_239_445;

    fn at(unix: i64) -> Value {
        GoTime::unix(unix, 0).into_value()
    }

    #[test]
    fn now_prints_like_go_time_string() {
        // The fixed run time, in UTC, without a monotonic suffix.
        assert_eq!(text("now", &[]), "2026-01-01 00:00:00 +0000 UTC");
        assert_eq!(call("now", &[]).expect("now").type_name(), "time.Time");
    }

    #[test]
    fn date_formats_reference_layout_tokens() {
        // Unix seconds (int) are accepted, as are time values.
        let t = Value::Int(REFERENCE);
        assert_eq!(text("date", &[Value::str("2006-01-02 15:04:05"), t.clone()]), "2006-01-02 22:04:05");
        assert_eq!(
            text("date", &[Value::str("Mon Monday Jan January 1 01 2 02 _2"), t.clone()]),
            "Mon Monday Jan January 1 01 2 02  2"
        );
        assert_eq!(
            text("date", &[Value::str("3 03 15 4 04 5 05 PM pm 06 002 __2"), t.clone()]),
            "10 10 22 4 04 5 05 PM pm 06 002   2"
        );
        assert_eq!(
            text("date", &[Value::str("MST -0700 -07:00 -07 Z07:00 Z0700"), t.clone()]),
            "UTC +0000 +00:00 +00 Z Z"
        );
        // RFC3339 and a literal underscore before the year.
        assert_eq!(text("date", &[Value::str("2006-01-02T15:04:05Z07:00"), t.clone()]), "2006-01-02T22:04:05Z");
        assert_eq!(text("date", &[Value::str("x_2006"), t.clone()]), "x_2006");
        // "Month" is not "Mon" + "th": lowercase continuation blocks the match.
        assert_eq!(text("date", &[Value::str("Month"), t]), "Month");
        // Fractional seconds: zeros keep digits, nines trim.
        let frac = GoTime::unix(REFERENCE, 120_000_000).into_value();
        assert_eq!(text("date", &[Value::str("05.000 05.999 05,9"), frac]), "05.120 05.12 05,1");
        // htmlDate is the date part only.
        assert_eq!(text("htmlDate", &[Value::Int(0)]), "1970-01-01");
    }

    #[test]
    fn date_defaults_non_times_to_now() {
        // Strings, floats (from values.yaml) and nil all mean "now" upstream.
        assert_eq!(text("date", &[Value::str("2006"), Value::str("2019-01-01")]), "2026");
        assert_eq!(text("date", &[Value::str("2006"), Value::Float(0.0)]), "2026");
        assert_eq!(text("htmlDate", &[Value::Nil]), "2026-01-01");
        // The layout is a typed string parameter.
        assert_eq!(
            call("date", &[Value::Int(1), Value::Int(0)]),
            Err(FuncError::WrongType { expected: "string", got: "int".into() })
        );
    }

    #[test]
    fn date_in_zone_handles_utc_fixed_and_unknown_zones() {
        // Upstream's own test: 13 Jun 19 20:39:39 GMT as int seconds.
        let t = Value::Int(1_560_458_379);
        let layout = Value::str("02 Jan 06 15:04 -0700");
        assert_eq!(text("dateInZone", &[layout.clone(), t.clone(), Value::str("UTC")]), "13 Jun 19 20:39 +0000");
        // Unknown zone names fall back to UTC.
        assert_eq!(text("date_in_zone", &[layout.clone(), t.clone(), Value::str("foobar")]), "13 Jun 19 20:39 +0000");
        // Etc/GMT+5 is UTC-5 with the "-05" abbreviation.
        assert_eq!(text("dateInZone", &[Value::str("15:04 MST"), t.clone(), Value::str("Etc/GMT+5")]), "15:39 -05");
        assert_eq!(text("htmlDateInZone", &[t, Value::str("Etc/GMT-14")]), "2019-06-14");
    }

    #[test]
    fn to_date_parses_and_round_trips() {
        // Upstream test: toDate then date.
        let d = call("toDate", &[Value::str("2006-01-02"), Value::str("2017-12-31")]).expect("parses");
        assert_eq!(text("date", &[Value::str("02/01/2006"), d.clone()]), "31/12/2017");
        assert_eq!(d.to_string(), "2017-12-31 00:00:00 +0000 UTC");
        // A numeric offset that is not the local zone's yields an unnamed fixed zone.
        let d =
            call("toDate", &[Value::str(time_rfc3339()), Value::str("2020-02-29T10:00:00.5-07:00")]).expect("parses");
        assert_eq!(d.to_string(), "2020-02-29 10:00:00.5 -0700 -0700");
        assert_eq!(text("unixEpoch", &[d]), "1582995600");
        // Zone abbreviations are kept with a zero offset; UTC is UTC.
        let d = call("toDate", &[Value::str("Jan _2 15:04:05 MST 2006"), Value::str("Feb  3 04:05:06 PST 2021")])
            .expect("parses");
        assert_eq!(d.to_string(), "2021-02-03 04:05:06 +0000 PST");
        // 12-hour clock, day of year, and a fraction the layout did not ask for.
        let d = call("toDate", &[Value::str("2006 002 3:04:05PM"), Value::str("2021 060 1:02:03.25AM")]).expect("ok");
        assert_eq!(d.to_string(), "2021-03-01 01:02:03.25 +0000 UTC");
        // Failures give the zero time.
        assert_eq!(text("toDate", &[Value::str("2006-01-02"), Value::str("nope")]), "0001-01-01 00:00:00 +0000 UTC");
    }

    fn time_rfc3339() -> &'static str {
        "2006-01-02T15:04:05Z07:00"
    }

    #[test]
    fn must_to_date_reports_go_parse_errors() {
        let err = |layout: &str, value: &str| match call("mustToDate", &[Value::str(layout), Value::str(value)]) {
            Err(FuncError::Call(m)) => m,
            other => panic!("{other:?}"),
        };
        // Element mismatch names the remaining input and the layout element.
        assert_eq!(
            err("2006-01-02", "2017-1x-31"),
            r#"parsing time "2017-1x-31" as "2006-01-02": cannot parse "1x-31" as "01""#
        );
        // Range errors and trailing text.
        assert_eq!(err("2006-01-02", "2017-13-01"), r#"parsing time "2017-13-01": month out of range"#);
        assert_eq!(err("2006-01-02", "2017-02-30"), r#"parsing time "2017-02-30": day out of range"#);
        assert_eq!(err("2006-01-02", "2017-02-03x"), r#"parsing time "2017-02-03x": extra text: "x""#);
        // Literal text mismatch reports the literal as the element.
        assert_eq!(
            err("2006-01-02", "2017/02/03"),
            r#"parsing time "2017/02/03" as "2006-01-02": cannot parse "/02/03" as "-""#
        );
    }

    #[test]
    fn date_modify_applies_go_durations() {
        let t = at(0);
        assert_eq!(text("dateModify", &[Value::str("1h30m"), t.clone()]), "1970-01-01 01:30:00 +0000 UTC");
        assert_eq!(text("date_modify", &[Value::str("-2h"), t.clone()]), "1969-12-31 22:00:00 +0000 UTC");
        assert_eq!(text("dateModify", &[Value::str("1.5s"), t.clone()]), "1970-01-01 00:00:01.5 +0000 UTC");
        // A bad duration leaves the time unchanged; the must variant errors.
        assert_eq!(text("dateModify", &[Value::str("soon"), t.clone()]), "1970-01-01 00:00:00 +0000 UTC");
        assert_eq!(
            call("mustDateModify", &[Value::str("soon"), t]),
            Err(FuncError::Call(r#"time: invalid duration "soon""#.into()))
        );
        // The time is a typed time.Time parameter.
        assert_eq!(
            call("dateModify", &[Value::str("1h"), Value::Int(0)]),
            Err(FuncError::WrongType { expected: "time.Time", got: "int".into() })
        );
        assert_eq!(call("unixEpoch", &[Value::Nil]), Err(FuncError::InvalidNil { expected: "time.Time" }));
    }

    #[test]
    fn ago_and_durations() {
        let now = CallCtx::default().now_unix;
        // Time since, rounded to seconds; future times are negative.
        assert_eq!(text("ago", &[at(now - 125)]), "2m5s");
        assert_eq!(text("ago", &[Value::Int(now - (2 * 3_600 + 34 * 60 + 17))]), "2h34m17s");
        assert_eq!(text("ago", &[at(now + 5)]), "-5s");
        assert_eq!(text("ago", &[Value::str("x")]), "0s");
        // duration: seconds as a Go duration string.
        assert_eq!(text("duration", &[Value::str("95")]), "1m35s");
        assert_eq!(text("duration", &[Value::Int(3_600)]), "1h0m0s");
        assert_eq!(text("duration", &[Value::str("abc")]), "0s");
        assert_eq!(text("duration", &[Value::Float(5.0)]), "0s");
        // durationRound: upstream's tests, plus time values and zero.
        assert_eq!(text("durationRound", &[Value::str("2h5s")]), "2h");
        assert_eq!(text("durationRound", &[Value::str("24h5s")]), "1d");
        assert_eq!(text("durationRound", &[Value::str("2400h5s")]), "3mo");
        assert_eq!(text("durationRound", &[Value::str("-9000h")]), "1y");
        assert_eq!(text("durationRound", &[at(now - 90)]), "1m");
        assert_eq!(text("durationRound", &[Value::Float(100.0)]), "0s");
    }

    #[test]
    fn go_duration_syntax_and_printing() {
        assert_eq!(parse_duration("1h2m3.5s"), Ok(3_723_500_000_000));
        assert_eq!(parse_duration("-1.5h"), Ok(-5_400_000_000_000));
        assert_eq!(parse_duration("300ms"), Ok(300_000_000));
        assert_eq!(parse_duration("1µs2ns"), Ok(1_002));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("1"), Err(r#"time: missing unit in duration "1""#.into()));
        assert_eq!(parse_duration("1d"), Err(r#"time: unknown unit "d" in duration "1d""#.into()));
        assert_eq!(parse_duration(""), Err(r#"time: invalid duration """#.into()));
        assert_eq!(parse_duration("9999999999h"), Err(r#"time: invalid duration "9999999999h""#.into()));
        assert_eq!(duration_string(0), "0s");
        assert_eq!(duration_string(1_500), "1.5µs");
        assert_eq!(duration_string(2_500_000), "2.5ms");
        assert_eq!(duration_string(-3_723_500_000_000), "-1h2m3.5s");
        assert_eq!(duration_string(i64::MIN), "-2562047h47m16.854775808s");
    }

    #[test]
    fn time_object_fields_and_methods() {
        let v = at(REFERENCE);
        let Value::Object(o) = &v else { panic!() };
        assert_eq!(o.field("Year"), Some(Value::Int(2006)));
        assert_eq!(o.field("Month"), Some(Value::str("January")));
        assert_eq!(o.field("Weekday"), Some(Value::str("Monday")));
        assert_eq!(o.field("YearDay"), Some(Value::Int(2)));
        assert_eq!(o.call("Format", &[Value::str("Jan 2")]), Some(Ok(Value::str("Jan 2"))));
        // AddDate normalises like Go (Jan 31 + 1 month = Mar 3 in 2006).
        let jan31 = at(REFERENCE + 29 * 86_400);
        let Value::Object(j) = &jan31 else { panic!() };
        let next = j.call("AddDate", &[Value::Int(0), Value::Int(1), Value::Int(0)]).expect("method").expect("ok");
        assert_eq!(next.to_string(), "2006-03-03 22:04:05 +0000 UTC");
        assert_eq!(o.call("Before", &[jan31]), Some(Ok(Value::Bool(true))));
        // The zero time knows it is zero.
        let Value::Object(ref z) = GoTime::zero().into_value() else { panic!() };
        assert_eq!(z.field("IsZero"), Some(Value::Bool(true)));
        assert_eq!(z.display(), "0001-01-01 00:00:00 +0000 UTC");
    }
}
