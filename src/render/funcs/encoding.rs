//! Sprig's encoding functions: `b64enc`, `b64dec`, `b32enc`, `b32dec` (Go's
//! `encoding/base64` and `encoding/base32` standard alphabets, with padding).
//!
//! All four take a Go `string` parameter, so text/template rejects any other type with
//! "wrong type for value". A failed decode is not a template error in Sprig: the function
//! returns the decoder's error text as its value, and charts then render that text.

use super::{arity, expect_str, expect_string_bytes, CallCtx, FuncResult, Registry};
use crate::render::value::Value;

pub fn register(r: &mut Registry) {
    r.add("b64enc", b64enc);
    r.add("b64dec", b64dec);
    r.add("b32enc", b32enc);
    r.add("b32dec", b32dec);
}

const B64_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const PAD: u8 = b'=';

fn b64enc(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::str(base64_encode(expect_string_bytes(&args[0])?)))
}

fn b64dec(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(decoded_or_error(base64_decode(expect_str(&args[0])?.as_bytes()), "base64"))
}

fn b32enc(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(Value::str(base32_encode(expect_string_bytes(&args[0])?)))
}

fn b32dec(_: &mut CallCtx, args: &[Value]) -> FuncResult {
    arity(args, 1)?;
    Ok(decoded_or_error(base32_decode(expect_str(&args[0])?.as_bytes()), "base32"))
}

/// Sprig returns `string(data)` (any bytes) or `err.Error()` ("illegal base64 data at input
/// byte N").
fn decoded_or_error(result: Result<Vec<u8>, usize>, name: &str) -> Value {
    match result {
        Ok(data) => Value::go_string(data),
        Err(offset) => Value::str(format!("illegal {name} data at input byte {offset}")),
    }
}

/// RFC 4648 base64 with `=` padding.
pub fn base64_encode(src: &[u8]) -> String {
    let mut out = String::with_capacity(src.len().div_ceil(3) * 4);
    for chunk in src.chunks(3) {
        let mut block = [0u8; 3];
        block[..chunk.len()].copy_from_slice(chunk);
        let n = u32::from(block[0]) << 16 | u32::from(block[1]) << 8 | u32::from(block[2]);
        // 3 bytes give 4 sextets; a short chunk emits len+1 of them, then padding.
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64_ALPHABET[(n >> (18 - 6 * i) & 0x3F) as usize]));
            } else {
                out.push(char::from(PAD));
            }
        }
    }
    out
}

fn b64_value(c: u8) -> Option<u32> {
    B64_ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// Go's `base64.StdEncoding.DecodeString`: `\r` and `\n` are skipped anywhere, padding is
/// required; the error is the byte offset Go reports in `CorruptInputError`.
pub fn base64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    while si < src.len() {
        let (next, quantum) = base64_quantum(src, si)?;
        out.extend_from_slice(&quantum);
        si = next;
    }
    Ok(out)
}

/// Decode up to four symbols starting at `si` (Go's `decodeQuantum`): returns where the next
/// quantum starts and the decoded bytes.
fn base64_quantum(src: &[u8], mut si: usize) -> Result<(usize, Vec<u8>), usize> {
    let mut sextets = [0u32; 4];
    let mut len = 4;
    let mut j = 0;
    while j < 4 {
        if si == src.len() {
            // Input ended inside a quantum: only a clean end (j == 0) is fine.
            if j == 0 {
                return Ok((si, Vec::new()));
            }
            return Err(si - j);
        }
        let c = src[si];
        si += 1;
        if let Some(v) = b64_value(c) {
            sextets[j] = v;
            j += 1;
            continue;
        }
        if c == b'\n' || c == b'\r' {
            continue;
        }
        if c != PAD || j < 2 {
            return Err(si - 1);
        }
        // Padding: "xx==" or "xxx=", possibly with newlines in between.
        if j == 2 {
            si = skip_newlines(src, si);
            if si == src.len() {
                return Err(src.len()); // not enough padding
            }
            if src[si] != PAD {
                return Err(si - 1);
            }
            si += 1;
        }
        si = skip_newlines(src, si);
        if si < src.len() {
            return Err(si); // trailing garbage
        }
        len = j;
        break;
    }
    let n = sextets[0] << 18 | sextets[1] << 12 | sextets[2] << 6 | sextets[3];
    let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
    Ok((si, bytes[..len - 1].to_vec()))
}

fn skip_newlines(src: &[u8], mut si: usize) -> usize {
    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
        si += 1;
    }
    si
}

/// RFC 4648 base32 with `=` padding.
pub fn base32_encode(src: &[u8]) -> String {
    let mut out = String::with_capacity(src.len().div_ceil(5) * 8);
    for chunk in src.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let n = block.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        // Symbols that carry input bits: ceil(8 * len / 5); the rest of the 8 are padding.
        let symbols = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < symbols {
                out.push(char::from(B32_ALPHABET[(n >> (35 - 5 * i) & 0x1F) as usize]));
            } else {
                out.push(char::from(PAD));
            }
        }
    }
    out
}

fn b32_value(c: u8) -> Option<u64> {
    B32_ALPHABET.iter().position(|&a| a == c).map(|p| p as u64)
}

/// Go's `base32.StdEncoding.DecodeString`: newlines are stripped first (offsets refer to the
/// stripped input), padding is required and must have a valid length.
pub fn base32_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let src: Vec<u8> = src.iter().copied().filter(|&c| c != b'\n' && c != b'\r').collect();
    let olen = src.len();
    let mut rest = &src[..];
    let mut out = Vec::with_capacity(olen / 8 * 5);
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut symbols = [0u64; 8];
        let mut len = 8;
        let mut j = 0;
        while j < 8 {
            let Some((&c, tail)) = rest.split_first() else {
                return Err(olen - j); // missing padding
            };
            rest = tail;
            if c == PAD && j >= 2 && rest.len() < 8 {
                // End of message: the remaining symbols of this quantum must be padding.
                if rest.len() + j < 7 {
                    return Err(olen);
                }
                for k in 0..7 - j {
                    if rest.get(k).is_some_and(|&p| p != PAD) {
                        return Err(olen - rest.len() + k - 1);
                    }
                }
                len = j;
                end = true;
                // 1, 3 and 6 symbols cannot encode whole bytes (RFC 4648 §6).
                if matches!(len, 1 | 3 | 6) {
                    return Err(olen - rest.len() - 1);
                }
                break;
            }
            let Some(v) = b32_value(c) else {
                return Err(olen - rest.len() - 1);
            };
            symbols[j] = v;
            j += 1;
        }
        let n = symbols.iter().fold(0u64, |acc, &s| acc << 5 | s);
        let bytes = n.to_be_bytes();
        // 8 symbols → 5 bytes; 7 → 4; 5 → 3; 4 → 2; 2 → 1.
        let produced = match len {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            _ => 1,
        };
        out.extend_from_slice(&bytes[3..3 + produced]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::FuncError;
    use super::*;

    use crate::render::funcs::test_call as call;

    fn s(v: &str) -> Value {
        Value::str(v)
    }

    // RFC 4648 §10 test vectors.
    const VECTORS: [(&str, &str, &str); 7] = [
        ("", "", ""),
        ("f", "Zg==", "MY======"),
        ("fo", "Zm8=", "MZXQ===="),
        ("foo", "Zm9v", "MZXW6==="),
        ("foob", "Zm9vYg==", "MZXW6YQ="),
        ("fooba", "Zm9vYmE=", "MZXW6YTB"),
        ("foobar", "Zm9vYmFy", "MZXW6YTBOI======"),
    ];

    #[test]
    fn rfc4648_vectors_round_trip() {
        for (plain, b64, b32) in VECTORS {
            assert_eq!(call("b64enc", &[s(plain)]), Ok(s(b64)), "b64enc {plain:?}");
            assert_eq!(call("b64dec", &[s(b64)]), Ok(s(plain)), "b64dec {b64:?}");
            assert_eq!(call("b32enc", &[s(plain)]), Ok(s(b32)), "b32enc {plain:?}");
            assert_eq!(call("b32dec", &[s(b32)]), Ok(s(plain)), "b32dec {b32:?}");
        }
    }

    #[test]
    fn base64_decode_errors_are_returned_as_text() {
        // Sprig: b64dec returns err.Error() instead of failing the template.
        assert_eq!(call("b64dec", &[s("Zm9v!")]), Ok(s("illegal base64 data at input byte 4")));
        // Missing padding: Go reports the start of the incomplete quantum.
        assert_eq!(call("b64dec", &[s("Zm9vYg")]), Ok(s("illegal base64 data at input byte 4")));
        assert_eq!(call("b64dec", &[s("Z")]), Ok(s("illegal base64 data at input byte 0")));
        // Padding too early, too short, and trailing garbage.
        assert_eq!(call("b64dec", &[s("Z===")]), Ok(s("illegal base64 data at input byte 1")));
        assert_eq!(call("b64dec", &[s("Zg=")]), Ok(s("illegal base64 data at input byte 3")));
        assert_eq!(call("b64dec", &[s("Zg=x")]), Ok(s("illegal base64 data at input byte 2")));
        assert_eq!(call("b64dec", &[s("Zg==Zg==")]), Ok(s("illegal base64 data at input byte 4")));
        // URL-safe alphabet is not the standard one.
        assert_eq!(call("b64dec", &[s("_w==")]), Ok(s("illegal base64 data at input byte 0")));
    }

    #[test]
    fn base64_decode_skips_newlines() {
        // Go ignores \r and \n anywhere, also inside the padding.
        assert_eq!(call("b64dec", &[s("Zm9v\nYmFy\r\n")]), Ok(s("foobar")));
        assert_eq!(call("b64dec", &[s("Zg=\n=")]), Ok(s("f")));
        // Decoded bytes that are not UTF-8 stay bytes, as in a Go string: encoding them again
        // gives the input back; text functions see U+FFFD.
        let decoded = call("b64dec", &[s("/w==")]).expect("b64dec");
        assert_eq!(decoded.string_bytes(), Some(&[0xff_u8][..]));
        assert_eq!(call("b64enc", &[decoded.clone()]), Ok(s("/w==")));
        assert_eq!(call("upper", &[decoded]), Ok(s("\u{FFFD}")));
    }

    #[test]
    fn base32_decode_errors_are_returned_as_text() {
        assert_eq!(call("b32dec", &[s("MZXW6YT")]), Ok(s("illegal base32 data at input byte 0")));
        assert_eq!(call("b32dec", &[s("MZXW6YT1")]), Ok(s("illegal base32 data at input byte 7")));
        assert_eq!(call("b32dec", &[s("mzxw6ytb")]), Ok(s("illegal base32 data at input byte 0")));
        // Padding cannot start after a single symbol.
        assert_eq!(call("b32dec", &[s("M=======")]), Ok(s("illegal base32 data at input byte 1")));
        // Three symbols cannot encode whole bytes (RFC 4648 §6).
        assert_eq!(call("b32dec", &[s("MZX=====")]), Ok(s("illegal base32 data at input byte 3")));
        // Not enough padding: Go reports the input length.
        assert_eq!(call("b32dec", &[s("MY=====")]), Ok(s("illegal base32 data at input byte 7")));
        // Non-padding after padding: Go's offset formula lands one before the culprit.
        assert_eq!(call("b32dec", &[s("MY====x=")]), Ok(s("illegal base32 data at input byte 5")));
        assert_eq!(call("b32dec", &[s("MZXW\n6===")]), Ok(s("foo")));
    }

    #[test]
    fn arguments_are_typed_strings() {
        // Sprig's parameter is `string`: text/template does not convert other types.
        assert_eq!(
            call("b64enc", &[Value::Int(1)]),
            Err(FuncError::WrongType { expected: "string", got: "int".into() })
        );
        assert_eq!(call("b32dec", &[Value::Nil]), Err(FuncError::InvalidNil { expected: "string" }));
        assert_eq!(call("b64dec", &[]), Err(FuncError::Arity { want: 1, got: 0, at_least: false }));
    }
}
