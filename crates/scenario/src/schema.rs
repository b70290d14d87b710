//! The JSON Schema of scenario files (`detente schema`), for editors that
//! complete and check TOML through a schema (e.g. Taplo, Even Better TOML).

/// The schema text (JSON Schema, draft 2020-12).
pub const SCHEMA: &str = include_str!("schema.json");

#[cfg(test)]
mod tests {
    //! A small validator for the subset of JSON Schema the schema uses, so
    //! that a test can check the built-in scenario against it (and the
    //! schema against the parser's structures).
    use super::SCHEMA;
    use serde_json::Value;

    fn resolve<'a>(root: &'a Value, s: &'a Value) -> &'a Value {
        match s.get("$ref").and_then(|r| r.as_str()) {
            Some(r) => {
                let path = r.trim_start_matches("#/");
                path.split('/').fold(root, |v, k| &v[k])
            }
            None => s,
        }
    }

    fn check(root: &Value, schema: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
        let schema = resolve(root, schema);
        if let Some(alts) = schema.get("oneOf").and_then(|a| a.as_array()) {
            let ok = alts
                .iter()
                .filter(|alt| {
                    let mut e = Vec::new();
                    check(root, alt, v, at, &mut e);
                    e.is_empty()
                })
                .count();
            if ok != 1 {
                errs.push(format!("{at}: matches {ok} alternatives of oneOf"));
            }
            return;
        }
        if let Some(e) = schema.get("enum").and_then(|e| e.as_array()) {
            if !e.contains(v) {
                errs.push(format!("{at}: {v} not in {e:?}"));
            }
            return;
        }
        match schema.get("type").and_then(|t| t.as_str()) {
            Some("object") => {
                let Some(obj) = v.as_object() else {
                    errs.push(format!("{at}: not an object"));
                    return;
                };
                let props = schema.get("properties").and_then(|p| p.as_object());
                for r in schema
                    .get("required")
                    .and_then(|r| r.as_array())
                    .into_iter()
                    .flatten()
                {
                    if !obj.contains_key(r.as_str().unwrap_or("")) {
                        errs.push(format!("{at}: missing {r}"));
                    }
                }
                for (k, x) in obj {
                    let sub = props.and_then(|p| p.get(k));
                    match (sub, schema.get("additionalProperties")) {
                        (Some(s), _) => check(root, s, x, &format!("{at}.{k}"), errs),
                        (None, Some(Value::Bool(false))) => {
                            errs.push(format!("{at}: unexpected key {k}"))
                        }
                        (None, Some(s)) if s.is_object() => {
                            check(root, s, x, &format!("{at}.{k}"), errs)
                        }
                        _ => {}
                    }
                }
            }
            Some("array") => match v.as_array() {
                Some(a) => {
                    if let Some(it) = schema.get("items") {
                        for (i, x) in a.iter().enumerate() {
                            check(root, it, x, &format!("{at}[{i}]"), errs);
                        }
                    }
                }
                None => errs.push(format!("{at}: not an array")),
            },
            Some("string") if !v.is_string() => errs.push(format!("{at}: not a string")),
            Some("number") if !v.is_number() => errs.push(format!("{at}: not a number")),
            Some("integer") if !(v.is_i64() || v.is_u64()) => {
                errs.push(format!("{at}: not an integer"))
            }
            Some("boolean") if !v.is_boolean() => errs.push(format!("{at}: not a boolean")),
            _ => {}
        }
    }

    fn validate(text: &str) -> Vec<String> {
        let root: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
        let doc: toml::Value = toml::from_str(text).expect("TOML");
        let doc: Value = serde_json::to_value(doc).expect("TOML converts to JSON");
        let mut errs = Vec::new();
        check(&root, &root, &doc, "$", &mut errs);
        errs
    }

    #[test]
    fn the_built_in_scenario_matches_the_schema() {
        let errs = validate(crate::builtin::BUILTIN);
        assert!(errs.is_empty(), "{errs:#?}");
    }

    #[test]
    fn the_schema_rejects_what_the_parser_rejects() {
        let errs = validate(
            "[scenario]\nid = \"x\"\ntitle = \"t\"\n[actors.A]\nname = \"A\"\nqouta = 3\n",
        );
        assert!(
            errs.iter().any(|e| e.contains("unexpected key qouta")),
            "{errs:?}"
        );
        let errs = validate("[scenario]\nid = \"x\"\ntitle = \"t\"\n[actors.A]\nname = \"A\"\ncapability = { mean = 3 }\n");
        assert!(!errs.is_empty());
    }
}
