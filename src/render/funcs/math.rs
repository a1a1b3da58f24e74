//! Template functions: math family (Sprig `numeric.go` and the arithmetic in `functions.go`).
//!
//! Integer math takes `interface{}` arguments, converts each with `cast.ToInt64` (so floats
//! truncate and strings parse) and returns int64 with Go's wrapping overflow. The `*f`
//! variants go through shopspring/decimal: every operand becomes the shortest decimal that
//! round-trips its float64, the arithmetic is exact (division rounds to 16 decimal places,
//! half away from zero), and the result is the float64 nearest to the decimal — so
//! `addf 0.1 0.2` is `0.3`, not `0.30000000000000004`.

use super::{arity, arity_at_least, expect_int, to_float64, to_int64, CallCtx, FuncError, FuncResult, Registry, Value};

pub fn register(r: &mut Registry) {
    r.add("add", add);
    r.add("add1", add1);
    r.add("sub", sub);
    r.add("mul", mul);
    r.add("div", div);
    r.add("mod", modulo);
    r.add("max", max);
    r.add("biggest", max);
    r.add("min", min);
    r.add("floor", floor);
    r.add("ceil", ceil);
    r.add("round", round);
    r.add("addf", addf);
    r.add("add1f", add1f);
    r.add("subf", subf);
    r.add("mulf", mulf);
    r.add("divf", divf);
    r.add("maxf", maxf);
    r.add("minf", minf);
    r.add("randInt", rand_int);
}

/// 2^63 as float64: the first value outside Go's int64 range.
const TWO_POW_63: f64 = (1u64 << 63) as f64;

const DIVIDE_BY_ZERO: &str = "runtime error: integer divide by zero";

// ---- integer math -------------------------------------------------------------------------

/// `add N...`: sum (0 for no arguments).
fn add(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    Ok(Value::Int(args.iter().fold(0i64, |acc, v| acc.wrapping_add(to_int64(v)))))
}

fn add1(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::Int(to_int64(&args[0]).wrapping_add(1)))
}

fn sub(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    Ok(Value::Int(to_int64(&args[0]).wrapping_sub(to_int64(&args[1]))))
}

/// `mul A N...`: product.
fn mul(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    Ok(Value::Int(args[1..].iter().fold(to_int64(&args[0]), |acc, v| acc.wrapping_mul(to_int64(v)))))
}

/// `div A B`: Go integer division (truncates; zero divisor panics; MinInt64 / -1 wraps).
fn div(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let (a, b) = (to_int64(&args[0]), to_int64(&args[1]));
    if b == 0 {
        return Err(FuncError::Call(DIVIDE_BY_ZERO.into()));
    }
    Ok(Value::Int(a.wrapping_div(b)))
}

/// `mod A B`: Go's `%` (sign of A; zero divisor panics).
fn modulo(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let (a, b) = (to_int64(&args[0]), to_int64(&args[1]));
    if b == 0 {
        return Err(FuncError::Call(DIVIDE_BY_ZERO.into()));
    }
    Ok(Value::Int(a.wrapping_rem(b)))
}

/// `max A N...` (alias `biggest`).
fn max(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    Ok(Value::Int(args.iter().map(to_int64).fold(i64::MIN, i64::max)))
}

fn min(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    Ok(Value::Int(args.iter().map(to_int64).fold(i64::MAX, i64::min)))
}

/// `randInt MIN MAX`: `rand.Intn(max-min) + min` with typed `int` parameters, from the
/// deterministic generator. Intn panics unless max > min.
fn rand_int(ctx: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 2)?;
    let lo = expect_int(&args[0])?;
    let hi = expect_int(&args[1])?;
    let span = hi.wrapping_sub(lo);
    if span <= 0 {
        return Err(FuncError::Call("invalid argument to Intn".into()));
    }
    let offset = ctx.rng.below(span.unsigned_abs()) as i64;
    Ok(Value::Int(offset.wrapping_add(lo)))
}

// ---- float math ---------------------------------------------------------------------------

fn floor(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::Float(to_float64(&args[0]).floor()))
}

fn ceil(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::Float(to_float64(&args[0]).ceil()))
}

/// A typed Go `float64` parameter. Integer template literals are untyped constants that
/// text/template converts, so ints are accepted too.
fn expect_float(v: &Value) -> Result<f64, FuncError> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::Nil => Err(FuncError::InvalidNil { expected: "float64" }),
        other => Err(FuncError::WrongType { expected: "float64", got: other.type_name() }),
    }
}

/// `round X PLACES [ROUND_ON]`: Sprig scales by 10^PLACES, rounds up when the fractional
/// part is >= ROUND_ON (default .5) and down otherwise — so negative halves round down
/// (`round -2.5 0` is -3). PLACES is a typed `int`, ROUND_ON a typed `float64`.
fn round(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 2)?;
    let places = expect_int(&args[1])?;
    let round_on = match args.get(2) {
        Some(v) => expect_float(v)?,
        None => 0.5,
    };
    for extra in args.iter().skip(3) {
        expect_float(extra)?; // variadic float64 parameters are all type-checked
    }
    let pow = go_pow10(places as f64);
    let digit = pow * to_float64(&args[0]);
    // Go's math.Modf fraction: same sign as digit, NaN for infinities.
    let frac = digit.fract();
    let rounded = if frac >= round_on { digit.ceil() } else { digit.floor() };
    Ok(Value::Float(rounded / pow))
}

/// Go's `math.Pow(10, y)` for integral y: repeated squaring of frexp(10) = 0.625 * 2^4 and
/// a final ldexp, which can differ in the last bit from a libm `pow`.
fn go_pow10(y: f64) -> f64 {
    if y == 0.0 {
        return 1.0;
    }
    if y == 1.0 {
        return 10.0;
    }
    if y.abs() >= TWO_POW_63 {
        return if y > 0.0 { f64::INFINITY } else { 0.0 };
    }
    let (mut a1, mut ae) = (1.0f64, 0i64);
    let (mut x1, mut xe) = (0.625f64, 4i64);
    let mut i = y.abs() as u64;
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            ae += xe; // catastrophic overflow: let ldexp saturate
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if y < 0.0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    go_ldexp(a1, ae)
}

/// Go's `math.Ldexp`: frac * 2^exp with a single rounding, saturating to 0 or infinity.
fn go_ldexp(frac: f64, exp: i64) -> f64 {
    if frac == 0.0 || !frac.is_finite() {
        return frac;
    }
    // Normalize subnormals so the exponent field is meaningful.
    let (frac, mut exp) =
        if frac.abs() < f64::MIN_POSITIVE { (frac * (1u64 << 52) as f64, exp - 52) } else { (frac, exp) };
    let bits = frac.to_bits();
    exp += ((bits >> 52) & 0x7ff) as i64 - 1023;
    if exp < -1075 {
        return 0.0f64.copysign(frac);
    }
    if exp > 1023 {
        return f64::INFINITY.copysign(frac);
    }
    let mut scale = 1.0;
    if exp < -1022 {
        exp += 53;
        scale = 1.0 / (1u64 << 53) as f64;
    }
    let bits = (bits & !(0x7ff << 52)) | (((exp + 1023) as u64) << 52);
    scale * f64::from_bits(bits)
}

/// Go's `math.Max`: +Inf wins, then NaN, and +0 beats -0.
fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        f64::INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() {
            y
        } else {
            x
        }
    } else if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`: -Inf wins, then NaN, and -0 beats +0.
fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        f64::NEG_INFINITY
    } else if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && x == y {
        if x.is_sign_negative() {
            x
        } else {
            y
        }
    } else if x < y {
        x
    } else {
        y
    }
}

fn maxf(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    Ok(Value::Float(args[1..].iter().fold(to_float64(&args[0]), |acc, v| go_max(acc, to_float64(v)))))
}

fn minf(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    Ok(Value::Float(args[1..].iter().fold(to_float64(&args[0]), |acc, v| go_min(acc, to_float64(v)))))
}

// ---- decimal arithmetic (shopspring/decimal as Sprig's execDecimalOp uses it) -------------

/// `m * 10^e`. Mantissas stay in i128; results that would overflow fall back to float64
/// arithmetic (only reachable with extreme exponents or long chains of multiplications).
#[derive(Clone, Copy, Debug)]
struct Dec {
    m: i128,
    e: i32,
}

/// shopspring's `DivisionPrecision`: quotients keep 16 digits after the decimal point.
const DIVISION_PRECISION: i64 = 16;

impl Dec {
    /// `decimal.NewFromFloat`: the shortest decimal that round-trips, which is what Rust's
    /// `{:e}` prints. NaN and infinities panic in Go.
    fn from_f64(f: f64) -> Result<Dec, FuncError> {
        if !f.is_finite() {
            return Err(FuncError::Call(format!("Cannot create a Decimal from {}", Value::Float(f))));
        }
        if f == 0.0 {
            return Ok(Dec { m: 0, e: 0 });
        }
        let text = format!("{f:e}");
        let parsed = text.split_once('e').and_then(|(mantissa, exp)| {
            let exp: i32 = exp.parse().ok()?;
            let frac_digits = mantissa.split_once('.').map_or(0, |(_, frac)| frac.len());
            let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
            let m: i128 = digits.parse().ok()?;
            let m = if mantissa.starts_with('-') { -m } else { m };
            Some(Dec { m, e: exp - frac_digits as i32 })
        });
        // `{:e}` of a finite float always parses; keep a lossless-enough fallback anyway.
        Ok(parsed.unwrap_or(Dec { m: f as i128, e: 0 }))
    }

    /// `Decimal.Float64`: the nearest float64 (Rust's parser rounds correctly, like big.Rat).
    fn to_f64(self) -> f64 {
        format!("{}e{}", self.m, self.e).parse().unwrap_or(f64::NAN)
    }

    /// Both mantissas at the smaller exponent.
    fn align(a: Dec, b: Dec) -> Option<(i128, i128, i32)> {
        let e = a.e.min(b.e);
        let am = a.m.checked_mul(pow10(i64::from(a.e) - i64::from(e))?)?;
        let bm = b.m.checked_mul(pow10(i64::from(b.e) - i64::from(e))?)?;
        Some((am, bm, e))
    }

    fn add(a: Dec, b: Dec) -> Option<Dec> {
        let (am, bm, e) = Dec::align(a, b)?;
        Some(Dec { m: am.checked_add(bm)?, e })
    }

    fn sub(a: Dec, b: Dec) -> Option<Dec> {
        let (am, bm, e) = Dec::align(a, b)?;
        Some(Dec { m: am.checked_sub(bm)?, e })
    }

    fn mul(a: Dec, b: Dec) -> Option<Dec> {
        Some(Dec { m: a.m.checked_mul(b.m)?, e: a.e.checked_add(b.e)? })
    }

    /// `DivRound(b, 16)`: truncate to 16 places, then round half away from zero.
    /// The caller rejects a zero divisor.
    fn div(a: Dec, b: Dec) -> Option<Dec> {
        let k = i64::from(a.e) - i64::from(b.e) + DIVISION_PRECISION;
        let (num, den) = if k >= 0 { (a.m.checked_mul(pow10(k)?)?, b.m) } else { (a.m, b.m.checked_mul(pow10(-k)?)?) };
        let mut q = num.checked_div(den)?;
        let r = num.checked_rem(den)?;
        if r.unsigned_abs().checked_mul(2)? >= den.unsigned_abs() {
            q += if (num < 0) != (den < 0) { -1 } else { 1 };
        }
        Some(Dec { m: q, e: -(DIVISION_PRECISION as i32) })
    }
}

fn pow10(n: i64) -> Option<i128> {
    10i128.checked_pow(u32::try_from(n).ok()?)
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// The running result: exact until an operation overflows i128.
#[derive(Clone, Copy)]
enum Acc {
    Exact(Dec),
    Approx(f64),
}

impl Acc {
    fn to_f64(self) -> f64 {
        match self {
            Acc::Exact(d) => d.to_f64(),
            Acc::Approx(f) => f,
        }
    }

    fn apply(self, x: Dec, op: Op) -> Result<Acc, FuncError> {
        if matches!(op, Op::Div) && x.m == 0 {
            return Err(FuncError::Call("decimal division by zero".into()));
        }
        if let Acc::Exact(a) = self {
            let exact = match op {
                Op::Add => Dec::add(a, x),
                Op::Sub => Dec::sub(a, x),
                Op::Mul => Dec::mul(a, x),
                Op::Div => Dec::div(a, x),
            };
            if let Some(d) = exact {
                return Ok(Acc::Exact(d));
            }
        }
        let (a, b) = (self.to_f64(), x.to_f64());
        Ok(Acc::Approx(match op {
            Op::Add => a + b,
            Op::Sub => a - b,
            Op::Mul => a * b,
            Op::Div => a / b,
        }))
    }
}

/// Sprig's `execDecimalOp`: fold the operands left to right, converting each just before
/// use (so a bad operand after a division by zero is never reached, as in Go).
fn decimal_op(first: f64, rest: &[Value], op: Op) -> FuncResult {
    let mut acc = Acc::Exact(Dec::from_f64(first)?);
    for v in rest {
        acc = acc.apply(Dec::from_f64(to_float64(v))?, op)?;
    }
    Ok(Value::Float(acc.to_f64()))
}

/// `addf N...`: starts from 0, so no arguments give 0.
fn addf(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    decimal_op(0.0, args, Op::Add)
}

fn add1f(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    decimal_op(to_float64(&args[0]), &[Value::Int(1)], Op::Add)
}

fn subf(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    decimal_op(to_float64(&args[0]), &args[1..], Op::Sub)
}

fn mulf(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    decimal_op(to_float64(&args[0]), &args[1..], Op::Mul)
}

fn divf(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity_at_least(args, 1)?;
    decimal_op(to_float64(&args[0]), &args[1..], Op::Div)
}

#[cfg(test)]
mod tests {
    use super::super::{CallCtx, FuncError, Registry};
    use super::*;

    use crate::render::funcs::test_call as call;

    fn s(x: &str) -> Value {
        Value::str(x)
    }

    fn i(x: i64) -> Value {
        Value::Int(x)
    }

    fn f(x: f64) -> Value {
        Value::Float(x)
    }

    fn err(msg: &str) -> FuncResult {
        Err(FuncError::Call(msg.into()))
    }

    #[test]
    fn integer_math_casts_every_argument() {
        // sprig: add sums cast.ToInt64 of each argument; float64 values truncate
        assert_eq!(call("add", &[i(1), f(1.5)]), Ok(i(2)));
        assert_eq!(call("add", &[i(1), s("2"), s("0x10"), Value::Bool(true), Value::Nil]), Ok(i(20)));
        assert_eq!(call("add", &[]), Ok(i(0)));
        // sprig: add1, sub, mul
        assert_eq!(call("add1", &[f(2.9)]), Ok(i(3)));
        assert_eq!(call("sub", &[i(1), i(3)]), Ok(i(-2)));
        assert_eq!(call("mul", &[i(2), s("3"), f(4.0)]), Ok(i(24)));
        assert_eq!(call("mul", &[i(7)]), Ok(i(7)));
        // go: int64 arithmetic wraps
        assert_eq!(call("add", &[i(i64::MAX), i(1)]), Ok(i(i64::MIN)));
        // text/template: fixed arity
        assert_eq!(call("sub", &[i(1)]), Err(FuncError::Arity { want: 2, got: 1, at_least: false }));
        assert_eq!(call("mul", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: true }));
        assert_eq!(call("add1", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: false }));
    }

    #[test]
    fn div_and_mod() {
        // go: integer division truncates toward zero; % takes the dividend's sign
        assert_eq!(call("div", &[i(7), i(2)]), Ok(i(3)));
        assert_eq!(call("div", &[i(-7), i(2)]), Ok(i(-3)));
        assert_eq!(call("mod", &[i(-7), i(3)]), Ok(i(-1)));
        assert_eq!(call("div", &[f(7.9), s("2")]), Ok(i(3)));
        // go: dividing by zero panics (a non-numeric string casts to 0)
        assert_eq!(call("div", &[i(1), i(0)]), err(DIVIDE_BY_ZERO));
        assert_eq!(call("mod", &[i(1), s("abc")]), err(DIVIDE_BY_ZERO));
        // go: MinInt64 / -1 wraps instead of trapping
        assert_eq!(call("div", &[i(i64::MIN), i(-1)]), Ok(i(i64::MIN)));
        assert_eq!(call("mod", &[i(i64::MIN), i(-1)]), Ok(i(0)));
    }

    #[test]
    fn max_min() {
        // sprig: int64 results after cast
        assert_eq!(call("max", &[i(1), f(5.7), s("3")]), Ok(i(5)));
        assert_eq!(call("biggest", &[i(-1), i(-5)]), Ok(i(-1)));
        assert_eq!(call("min", &[i(1), f(-5.7), s("3")]), Ok(i(-5)));
        assert_eq!(call("max", &[s("x")]), Ok(i(0)));
        assert_eq!(call("min", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: true }));
        // go: math.Max/Min on floats
        assert_eq!(call("maxf", &[i(1), f(2.5), s("2")]), Ok(f(2.5)));
        assert_eq!(call("minf", &[i(1), f(2.5), s("-2")]), Ok(f(-2.0)));
        assert_eq!(call("maxf", &[f(f64::NAN), f(1.0)]).map(|v| v.to_string()), Ok("NaN".into()));
        assert_eq!(call("maxf", &[f(f64::NAN), f(f64::INFINITY)]), Ok(f(f64::INFINITY)));
        assert_eq!(
            call("maxf", &[f(-0.0), f(0.0)]).map(|v| matches!(v, Value::Float(x) if x.is_sign_positive())),
            Ok(true)
        );
        assert_eq!(
            call("minf", &[f(0.0), f(-0.0)]).map(|v| matches!(v, Value::Float(x) if x.is_sign_negative())),
            Ok(true)
        );
    }

    #[test]
    fn floor_ceil_round() {
        // sprig: floor/ceil return float64
        assert_eq!(call("floor", &[f(1.7)]), Ok(f(1.0)));
        assert_eq!(call("ceil", &[s("1.2")]), Ok(f(2.0)));
        assert_eq!(call("floor", &[i(3)]), Ok(f(3.0)));
        // sprig docs: round 123.555555 3 -> 123.556
        assert_eq!(call("round", &[f(123.555555), i(3)]), Ok(f(123.556)));
        // sprig: custom rounding threshold
        assert_eq!(call("round", &[f(123.5555), i(3), f(0.6)]), Ok(f(123.555)));
        assert_eq!(call("round", &[f(2.5), i(0)]), Ok(f(3.0)));
        // sprig: negative fractions are below .5, so negative halves go down
        assert_eq!(call("round", &[f(-2.5), i(0)]), Ok(f(-3.0)));
        assert_eq!(call("round", &[f(-2.4), i(0)]), Ok(f(-3.0)));
        // sprig: negative places round to tens
        assert_eq!(call("round", &[i(1234), i(-2)]), Ok(f(1200.0)));
        // text/template: PLACES is a typed int, ROUND_ON a typed float64 (int literals convert)
        assert_eq!(call("round", &[f(1.5), i(0), i(1)]), Ok(f(1.0)));
        assert_eq!(
            call("round", &[f(1.5), f(0.0)]),
            Err(FuncError::WrongType { expected: "int", got: "float64".into() })
        );
        assert_eq!(
            call("round", &[f(1.5), i(0), s(".5")]),
            Err(FuncError::WrongType { expected: "float64", got: "string".into() })
        );
        assert_eq!(call("round", &[f(1.5)]), Err(FuncError::Arity { want: 2, got: 1, at_least: true }));
    }

    #[test]
    fn go_pow_matches_exact_powers() {
        // go: math.Pow(10, n) is exact for 0 <= n <= 22 and correctly rounded reciprocals below
        for n in 0..=22 {
            assert_eq!(go_pow10(n as f64), format!("1e{n}").parse::<f64>().unwrap(), "10^{n}");
            assert_eq!(go_pow10(-(n as f64)), format!("1e-{n}").parse::<f64>().unwrap(), "10^-{n}");
        }
        // go: overflow and underflow saturate
        assert_eq!(go_pow10(400.0), f64::INFINITY);
        assert_eq!(go_pow10(-400.0), 0.0);
    }

    #[test]
    fn decimal_float_math() {
        // sprig: decimal arithmetic avoids binary float artefacts
        assert_eq!(call("addf", &[f(0.1), f(0.2)]), Ok(f(0.3)));
        assert_eq!(call("addf", &[i(1), s("1.5"), f(2.25)]), Ok(f(4.75)));
        assert_eq!(call("addf", &[]), Ok(f(0.0)));
        assert_eq!(call("add1f", &[f(1.1)]), Ok(f(2.1)));
        assert_eq!(call("subf", &[f(0.3), f(0.1)]), Ok(f(0.2)));
        assert_eq!(call("mulf", &[f(1.1), i(3)]), Ok(f(3.3)));
        assert_eq!(call("mulf", &[f(2.0)]), Ok(f(2.0)));
        // shopspring: division keeps 16 decimal places, half away from zero
        assert_eq!(call("divf", &[i(10), i(4)]), Ok(f(2.5)));
        assert_eq!(call("divf", &[i(2), i(3)]), Ok(f(0.6666666666666667)));
        assert_eq!(call("divf", &[i(-2), i(3)]), Ok(f(-0.6666666666666667)));
        assert_eq!(call("divf", &[i(1), i(3)]), Ok(f(0.3333333333333333)));
        // shopspring: a quotient below 0.5e-16 rounds to zero
        assert_eq!(call("divf", &[f(1e-20), i(3)]), Ok(f(0.0)));
        // shopspring: division by zero panics
        assert_eq!(call("divf", &[i(1), i(0)]), err("decimal division by zero"));
        // shopspring: NaN/Inf cannot become decimals
        assert_eq!(call("addf", &[f(f64::INFINITY)]), err("Cannot create a Decimal from +Inf"));
        // extreme exponents fall back to float64 arithmetic instead of failing
        assert_eq!(call("mulf", &[f(1e300), f(1e300)]), Ok(f(f64::INFINITY)));
        assert_eq!(call("addf", &[f(1e300), f(1e-300)]), Ok(f(1e300)));
        assert_eq!(call("subf", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: true }));
        assert_eq!(call("add1f", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: false }));
    }

    #[test]
    fn rand_int_is_deterministic_and_bounded() {
        // sprig: rand.Intn(max-min) + min, here from the seeded generator
        let rand = Registry::standard().get("randInt").unwrap();
        let mut ctx = CallCtx::default();
        for _ in 0..100 {
            match rand(&mut ctx, &[i(5), i(8)]) {
                Ok(Value::Int(n)) => assert!((5..8).contains(&n)),
                other => panic!("{other:?}"),
            }
        }
        let (mut a, mut b) = (CallCtx::default(), CallCtx::default());
        assert_eq!(rand(&mut a, &[i(0), i(1000)]), rand(&mut b, &[i(0), i(1000)]));
        // go: rand.Intn panics for n <= 0
        assert_eq!(call("randInt", &[i(5), i(5)]), err("invalid argument to Intn"));
        // text/template: typed int parameters
        assert_eq!(
            call("randInt", &[f(1.0), i(5)]),
            Err(FuncError::WrongType { expected: "int", got: "float64".into() })
        );
    }
}
