//! A small document tree for the input formats (TOML or JSON), keeping each
//! value's place in the file so that errors can say `file:line:col`.

use detente_game::{parse_rational, GameError, Rational};
use num_traits::ToPrimitive;

/// A value of an input document.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    /// Byte range in the source (TOML only).
    pub span: Option<(usize, usize)>,
    /// Path from the root, e.g. `members[3].weight`.
    pub path: String,
}

/// The kinds of values.
#[derive(Debug, Clone)]
pub enum Kind {
    Table(Vec<(String, Node)>),
    Array(Vec<Node>),
    Str(String),
    /// An integer or float, as written.
    Number(String),
    Bool(bool),
    Other,
}

/// The source being read: its name (for messages) and text.
pub struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl Source<'_> {
    /// Line and column (1-based, in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..self.text.floor_char_boundary_compat(offset)];
        let line = before.matches('\n').count() + 1;
        let col = before
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0)
            + 1;
        (line, col)
    }

    /// An error at a node.
    pub fn error(&self, node: &Node, msg: impl std::fmt::Display) -> GameError {
        match node.span {
            Some((start, _)) => {
                let (l, c) = self.line_col(start);
                GameError::parse(
                    self.file,
                    l,
                    c,
                    format!("{}: {msg}", display_path(&node.path)),
                )
            }
            None => GameError::Invalid(format!(
                "{}: {}: {msg}",
                self.file,
                display_path(&node.path)
            )),
        }
    }
}

fn display_path(p: &str) -> &str {
    if p.is_empty() {
        "(top level)"
    } else {
        p
    }
}

trait FloorBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}
impl FloorBoundary for str {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while i > 0 && !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}

fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// Parses TOML or JSON (chosen by the file extension `.json`, or by a
/// leading `{`), with errors that name the file and place.
pub fn parse_document(src: &Source<'_>) -> Result<Node, GameError> {
    let is_json =
        src.file.to_ascii_lowercase().ends_with(".json") || src.text.trim_start().starts_with('{');
    if is_json {
        let v: serde_json::Value = serde_json::from_str(src.text).map_err(|e| {
            GameError::parse(
                src.file,
                e.line().max(1),
                e.column().max(1),
                strip_json_pos(&e.to_string()),
            )
        })?;
        Ok(from_json(&v, String::new()))
    } else {
        let doc = toml::de::DeTable::parse(src.text).map_err(|e| {
            let (l, c) = e.span().map(|s| src.line_col(s.start)).unwrap_or((1, 1));
            GameError::parse(src.file, l, c, e.message().trim().to_string())
        })?;
        let span = doc.span();
        Ok(Node {
            kind: Kind::Table(
                doc.get_ref()
                    .iter()
                    .map(|(k, v)| {
                        let key = k.get_ref().to_string();
                        let path = key.clone();
                        (key, from_toml(v, path))
                    })
                    .collect(),
            ),
            span: Some((span.start, span.end)),
            path: String::new(),
        })
    }
}

fn strip_json_pos(s: &str) -> String {
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

fn from_toml(v: &toml::Spanned<toml::de::DeValue<'_>>, path: String) -> Node {
    use toml::de::DeValue;
    let span = v.span();
    let kind = match v.get_ref() {
        DeValue::String(s) => Kind::Str(s.to_string()),
        DeValue::Integer(i) => Kind::Number(i.as_str().replace('_', "")),
        DeValue::Float(f) => Kind::Number(f.as_str().replace('_', "")),
        DeValue::Boolean(b) => Kind::Bool(*b),
        DeValue::Datetime(_) => Kind::Other,
        DeValue::Array(a) => Kind::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| from_toml(x, format!("{path}[{i}]")))
                .collect(),
        ),
        DeValue::Table(t) => Kind::Table(
            t.iter()
                .map(|(k, x)| {
                    let key = k.get_ref().to_string();
                    let p = child_path(&path, &key);
                    (key, from_toml(x, p))
                })
                .collect(),
        ),
    };
    Node {
        kind,
        span: Some((span.start, span.end)),
        path,
    }
}

fn from_json(v: &serde_json::Value, path: String) -> Node {
    use serde_json::Value;
    let kind = match v {
        Value::String(s) => Kind::Str(s.clone()),
        Value::Number(n) => Kind::Number(n.to_string()),
        Value::Bool(b) => Kind::Bool(*b),
        Value::Null => Kind::Other,
        Value::Array(a) => Kind::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| from_json(x, format!("{path}[{i}]")))
                .collect(),
        ),
        Value::Object(o) => Kind::Table(
            o.iter()
                .map(|(k, x)| {
                    let p = child_path(&path, k);
                    (k.clone(), from_json(x, p))
                })
                .collect(),
        ),
    };
    Node {
        kind,
        span: None,
        path,
    }
}

impl Node {
    /// The entry `key` of a table.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Table(t) => t.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entry `key`, or an error naming it.
    pub fn req(&self, src: &Source<'_>, key: &str) -> Result<&Node, GameError> {
        self.get(key)
            .ok_or_else(|| src.error(self, format!("missing required key '{key}'")))
    }

    /// Rejects keys outside `allowed` (catches typos).
    pub fn check_keys(&self, src: &Source<'_>, allowed: &[&str]) -> Result<(), GameError> {
        match &self.kind {
            Kind::Table(t) => {
                for (k, v) in t {
                    if !allowed.contains(&k.as_str()) {
                        return Err(src.error(
                            v,
                            format!(
                                "unknown key '{k}' (expected one of: {})",
                                allowed.join(", ")
                            ),
                        ));
                    }
                }
                Ok(())
            }
            _ => Err(src.error(self, "expected a table")),
        }
    }

    /// The entries of a table.
    pub fn table(&self, src: &Source<'_>) -> Result<&[(String, Node)], GameError> {
        match &self.kind {
            Kind::Table(t) => Ok(t),
            _ => Err(src.error(self, "expected a table")),
        }
    }

    /// The items of an array.
    pub fn array(&self, src: &Source<'_>) -> Result<&[Node], GameError> {
        match &self.kind {
            Kind::Array(a) => Ok(a),
            _ => Err(src.error(self, "expected an array")),
        }
    }

    /// A string.
    pub fn str(&self, src: &Source<'_>) -> Result<&str, GameError> {
        match &self.kind {
            Kind::Str(s) => Ok(s),
            _ => Err(src.error(self, "expected a string")),
        }
    }

    /// A boolean.
    pub fn bool(&self, src: &Source<'_>) -> Result<bool, GameError> {
        match &self.kind {
            Kind::Bool(b) => Ok(*b),
            _ => Err(src.error(self, "expected true or false")),
        }
    }

    /// An exact number: an integer, a decimal (exact: `0.1` is 1/10), or a
    /// string holding a fraction such as `"2/3"`.
    pub fn rational(&self, src: &Source<'_>) -> Result<Rational, GameError> {
        let text = match &self.kind {
            Kind::Number(s) => s.as_str(),
            Kind::Str(s) => s.trim(),
            _ => return Err(src.error(self, "expected a number")),
        };
        let t = text.strip_prefix('+').unwrap_or(text);
        parse_rational(t).ok_or_else(|| {
            src.error(
                self,
                format!("'{text}' is not a number (write 3, 0.25 or \"2/3\")"),
            )
        })
    }

    /// A non-negative integer.
    pub fn u64(&self, src: &Source<'_>, what: &str) -> Result<u64, GameError> {
        let r = self.rational(src)?;
        if !r.is_integer() {
            return Err(src.error(self, format!("{what} must be a whole number")));
        }
        if r < Rational::from_integer(0.into()) {
            return Err(src.error(
                self,
                format!("{what} must be non-negative, not {}", r.to_integer()),
            ));
        }
        r.to_integer()
            .to_u64()
            .ok_or_else(|| src.error(self, format!("{what} is too large")))
    }

    /// An array of exact numbers.
    pub fn rationals(&self, src: &Source<'_>) -> Result<Vec<Rational>, GameError> {
        self.array(src)?.iter().map(|x| x.rational(src)).collect()
    }

    /// An array of strings.
    pub fn strings(&self, src: &Source<'_>) -> Result<Vec<String>, GameError> {
        self.array(src)?
            .iter()
            .map(|x| x.str(src).map(str::to_string))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_have_positions() {
        let src = Source {
            file: "f.toml",
            text: "a = 1\nb = [1, \"x\"]\n",
        };
        let doc = parse_document(&src).unwrap();
        let b = doc.get("b").unwrap().array(&src).unwrap();
        let e = b[1].rational(&src).unwrap_err().to_string();
        assert!(
            e.starts_with("f.toml:2:9: b[1]: 'x' is not a number"),
            "{e}"
        );
        let bad = Source {
            file: "g.toml",
            text: "a = \n",
        };
        let e = parse_document(&bad).unwrap_err().to_string();
        assert!(e.starts_with("g.toml:1:"), "{e}");
        let e = doc.check_keys(&src, &["a"]).unwrap_err().to_string();
        assert!(e.contains("unknown key 'b'"), "{e}");
    }

    #[test]
    fn json_numbers_are_exact() {
        let src = Source {
            file: "f.json",
            text: "{\"x\": 0.1, \"y\": \"2/3\"}",
        };
        let doc = parse_document(&src).unwrap();
        assert_eq!(
            doc.get("x").unwrap().rational(&src).unwrap(),
            Rational::new(1.into(), 10.into())
        );
        assert_eq!(
            doc.get("y").unwrap().rational(&src).unwrap(),
            Rational::new(2.into(), 3.into())
        );
        let bad = Source {
            file: "f.json",
            text: "{\"x\": }",
        };
        let e = parse_document(&bad).unwrap_err().to_string();
        assert!(e.starts_with("f.json:1:7:"), "{e}");
    }
}
