//! strvals cases pinned from the oracle: helm_python.parse_set_string / _values / _json /
//! _literal (Helm 4.2.3's pkg/strvals), printed as sorted compact JSON or "ERR <message>".

use super::*;

const CASES: &[(&str, &str, &str)] = &[
    ("set", "a=1,b.c=two,ports={80,443}", "{\"a\":1,\"b\":{\"c\":\"two\"},\"ports\":[80,443]}"),
    ("set", "name=value", "{\"name\":\"value\"}"),
    ("set", "long_int_string=1234567890", "{\"long_int_string\":1234567890}"),
    ("set", "boolean=true,upper=TRUE,nul=null,Nul=NULL", "{\"Nul\":null,\"boolean\":true,\"nul\":null,\"upper\":true}"),
    ("set", "leading_zero=00009,neg=-5,plus=+5,zero=0,float=1.5", "{\"float\":\"1.5\",\"leading_zero\":\"00009\",\"neg\":-5,\"plus\":5,\"zero\":0}"),
    ("set", "a.b[1].c=y", "{\"a\":{\"b\":[null,{\"c\":\"y\"}]}}"),
    ("set", "list[0]=foo,list[1]=bar", "{\"list\":[\"foo\",\"bar\"]}"),
    ("set", "list[0].foo=bar,list[0].hello=world", "{\"list\":[{\"foo\":\"bar\",\"hello\":\"world\"}]}"),
    ("set", "name1.name2=", "{\"name1\":{\"name2\":\"\"}}"),
    ("set", "name1=,name2=x", "{\"name1\":\"\",\"name2\":\"x\"}"),
    ("set", "a\\.b=1,c=d\\,e", "{\"a.b\":1,\"c\":\"d,e\"}"),
    ("set", "a=", "{\"a\":\"\"}"),
    ("set", "a", "ERR key \"a\" has no value"),
    ("set", "a.b", "ERR key \"b\" has no value"),
    ("set", "a,", "ERR key \"a\" has no value (cannot end with ,)"),
    ("set", "list[0]=a,list[3]=b", "{\"list\":[\"a\",null,null,\"b\"]}"),
    ("set", "nested[0][1]=x", "{\"nested\":[[null,\"x\"]]}"),
    ("set", "a[x]=1", "ERR error parsing index: strconv.Atoi: parsing \"x\": invalid syntax"),
    ("set", "a[-1]=1", "ERR negative -1 index not allowed"),
    ("set", "a[65537]=1", "ERR index of 65537 is greater than maximum supported index of 65536"),
    ("set", "x={a,b", "ERR list must terminate with '}'"),
    ("set", "x={}", "{\"x\":[\"\"]}"),
    ("set", "x={a},y=2", "{\"x\":[\"a\"],\"y\":2}"),
    ("set", "a.b=1,a=2", "{\"a\":2}"),
    ("set", "a=2,a.b=1", "ERR unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"),
    ("set", "a=2,a[0]=1", "ERR unable to parse key: interface conversion: interface {} is int64, not []interface {}"),
    ("set", "a[0]=1,a.b=2", "ERR unable to parse key: interface conversion: interface {} is []interface {}, not map[string]interface {}"),
    ("set", "a.=1", "ERR key map \"a\" has no value"),
    ("set", ".a=1", "{}"),
    ("set", "a..b=1", "ERR key map \"a\" has no value"),
    ("set", "a[0]", "{\"a\":[]}"),
    ("set", "a[0]x=1", "ERR unexpected data at end of array index: ['x']"),
    ("set", "emp={,}", "{\"emp\":[\"\",\"\"]}"),
    ("set", "k=v=w", "{\"k\":\"v=w\"}"),
    ("set", "a=1,,b=2", "ERR key \"\" has no value (cannot end with ,)"),
    ("set", "=1", "{}"),
    ("set", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a1.b1.c1.d1.e1=1", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":{\"q\":{\"r\":{\"s\":{\"t\":{\"u\":{\"v\":{\"w\":{\"x\":{\"y\":{\"z\":{\"a1\":{\"b1\":{\"c1\":{\"d1\":{\"e1\":1}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}"),
    ("set", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a1.b1.c1.d1=1", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":{\"q\":{\"r\":{\"s\":{\"t\":{\"u\":{\"v\":{\"w\":{\"x\":{\"y\":{\"z\":{\"a1\":{\"b1\":{\"c1\":{\"d1\":1}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}"),
    ("string", "a=1,b=true,c=null", "{\"a\":\"1\",\"b\":\"true\",\"c\":\"null\"}"),
    ("string", "a={1,2}", "{\"a\":[\"1\",\"2\"]}"),
    ("json", "a={\"b\":[1,2]}", "{\"a\":{\"b\":[1,2]}}"),
    ("json", "a=1,b=\"x\"", "{\"a\":1,\"b\":\"x\"}"),
    ("json", "a=", "{\"a\":null}"),
    ("json", "a=,b=2", "{\"a\":null,\"b\":2}"),
    ("json", "a.b[0]={\"x\":null}", "{\"a\":{\"b\":[{\"x\":null}]}}"),
    ("json", "a= 1 , b=2", "{\" b\":2,\"a\":1}"),
    ("json", "a={\"b\":1}x=2", "{\"a\":{\"b\":1},\"x\":2}"),
    ("json", "a=[1,2],c=true", "{\"a\":[1,2],\"c\":true}"),
    ("literal", "a=b,c=d", "{\"a\":\"b,c=d\"}"),
    ("literal", "a.b=x=y", "{\"a\":{\"b\":\"x=y\"}}"),
    ("literal", "a[0]=x", "{\"a\":[\"x\"]}"),
    ("literal", "a[1].b=c", "{\"a\":[null,{\"b\":\"c\"}]}"),
];

fn run_case(kind: &str, expr: &str) -> String {
    let v = Value::empty_map();
    let result = match kind {
        "set" => parse_into(expr, &v),
        "string" => parse_into_string(expr, &v),
        "json" => parse_json_into(expr, &v),
        _ => parse_literal_into(expr, &v),
    };
    match result {
        Ok(()) => v.to_json().to_string(),
        Err(e) => format!("ERR {e}"),
    }
}

#[test]
fn oracle_cases() {
    let mut failures = Vec::new();
    for (kind, expr, want) in CASES {
        let got = run_case(kind, expr);
        if got != *want {
            failures.push(format!("{kind} {expr:?}: got {got}, want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// `--set a=1` gives an int64 (Go int), not a float64 like YAML values.
#[test]
fn set_gives_int64() {
    let v = parse("a=1,b=1.5").unwrap_or_default();
    assert_eq!(v.get("a"), Some(Value::Int(1)));
    assert_eq!(v.get("b"), Some(Value::str("1.5")));
}

// Helm's MergeValues order: files, --set-json, --set, --set-string, --set-file, --set-literal.
#[test]
fn merge_values_order() {
    let opts = ValuesOptions {
        value_files: vec!["f.yaml".into()],
        json_values: vec![r#"{"j": {"k": 1}}"#.into()],
        values: vec!["a=2,list[1]=x".into()],
        string_values: vec!["s=3".into()],
        file_values: vec!["file=path.txt".into()],
        literal_values: vec!["lit=a,b".into()],
    };
    let read = |p: &str| -> Result<Vec<u8>, String> {
        match p {
            "f.yaml" => Ok(b"a: 1\nlist: [p, q]\n".to_vec()),
            "path.txt" => Ok(b"contents".to_vec()),
            _ => Err(format!("open {p}: no such file or directory")),
        }
    };
    let v = merge_values(&opts, &read).unwrap_or_default();
    assert_eq!(
        v.to_json().to_string(),
        r#"{"a":2,"file":"contents","j":{"k":1},"list":["p","x"],"lit":"a,b","s":"3"}"#
    );
    let bad = ValuesOptions { values: vec!["a".into()], ..Default::default() };
    assert_eq!(merge_values(&bad, &read).err().as_deref(), Some("failed parsing --set data: key \"a\" has no value"));
}
