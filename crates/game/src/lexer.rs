//! The lexer shared by the `.nfg` and `.efg` readers.
//!
//! Gambit's savefiles are a stream of tokens separated by whitespace (space,
//! tab, CR, LF, VT, FF):
//!
//! * `{`, `}` and `,`;
//! * quoted text `"..."`, which may span lines. Inside quotes `\"` stands for
//!   a quote and `\\` for one backslash; a backslash before any other
//!   character is kept literally (so `\wedge` in a comment stays as it is,
//!   as Gambit reads it);
//! * bare words: everything else up to the next whitespace, brace, comma or
//!   quote (`NFG`, `R`, `p`, numbers such as `-3/4`, `1.5e2`, `.5`).
//!
//! Numbers are bare words; the parsers turn them into exact [`Rational`]s
//! with [`parse_number`], which has a fast path for the integers and short
//! decimals that make up nearly all payoff tables.
//!
//! Every token carries its 1-based line and column (counted in characters),
//! so every error can say `file:line:col: message`.

use crate::error::GameError;
use crate::number::{parse_rational, Rational};
use num_bigint::BigInt;
use std::borrow::Cow;

/// What kind of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    LBrace,
    RBrace,
    Comma,
    /// Quoted text; [`Token::text`] holds it with escapes resolved.
    Str,
    /// A bare word (a symbol or a number).
    Word,
    /// End of input.
    Eof,
}

/// One token with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: TokenKind,
    /// The word, or the unescaped text of a quoted string; empty otherwise.
    pub text: Cow<'a, str>,
    pub line: usize,
    pub col: usize,
}

impl Token<'_> {
    /// A short description for error messages: `'}'`, `end of file`,
    /// `the text "abc"`, `'1.2.3'`.
    pub fn describe(&self) -> String {
        match self.kind {
            TokenKind::LBrace => "'{'".into(),
            TokenKind::RBrace => "'}'".into(),
            TokenKind::Comma => "','".into(),
            TokenKind::Eof => "end of file".into(),
            TokenKind::Str => format!("the text \"{}\"", shorten(&self.text)),
            TokenKind::Word => format!("'{}'", shorten(&self.text)),
        }
    }
}

/// Cuts long texts for error messages (at most 40 characters, on one line).
fn shorten(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > 40 {
        let cut: String = one_line.chars().take(37).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
}

fn is_delimiter(b: u8) -> bool {
    is_space(b) || matches!(b, b'{' | b'}' | b',' | b'"')
}

/// A lexer over a whole file held in memory, with one token of lookahead.
pub struct Lexer<'a> {
    src: &'a str,
    file: &'a str,
    pos: usize,
    line: usize,
    col: usize,
    peeked: Option<Token<'a>>,
    /// Position of an escaped quote (`\"`) in the string scanned before the
    /// last token, and in the last token: used to explain errors caused by
    /// a backslash that swallowed a closing quote.
    escape_prev: Option<(usize, usize)>,
    escape_cur: Option<(usize, usize)>,
}

impl<'a> Lexer<'a> {
    /// A lexer over `src`; `file` names the input in error messages. A
    /// leading UTF-8 byte-order mark is skipped.
    pub fn new(src: &'a str, file: &'a str) -> Self {
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Lexer {
            src,
            file,
            pos,
            line: 1,
            col: 1,
            peeked: None,
            escape_prev: None,
            escape_cur: None,
        }
    }

    /// The file name used in errors.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// An error at a given position.
    pub fn error_at(&self, line: usize, col: usize, message: impl Into<String>) -> GameError {
        GameError::parse(self.file, line, col, message)
    }

    /// An error at a token.
    pub fn error(&self, tok: &Token<'_>, message: impl Into<String>) -> GameError {
        self.error_at(tok.line, tok.col, message)
    }

    /// "expected WHAT, found TOKEN" at the token (with a hint when the
    /// text before it contained an escaped quote, the usual cause of a
    /// string that ends later than intended).
    pub fn expected(&self, tok: &Token<'_>, what: &str) -> GameError {
        let mut msg = format!("expected {what}, found {}", tok.describe());
        if let Some((l, c)) = self.escape_prev {
            msg.push_str(&format!(
                " (the text before it has an escaped quote \\\" at {l}:{c}, which does not end the text; write a label ending in a backslash as \\\\)"
            ));
        }
        self.error(tok, msg)
    }

    /// Advances over one byte, keeping line and column.
    fn bump(&mut self, b: u8) {
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
            self.col = 1;
        } else if b & 0xC0 != 0x80 {
            // Count characters, not bytes: continuation bytes do not move.
            self.col += 1;
        }
    }

    /// The next token, consuming it.
    pub fn next_token(&mut self) -> Result<Token<'a>, GameError> {
        if let Some(t) = self.peeked.take() {
            return Ok(t);
        }
        self.scan()
    }

    /// The next token, without consuming it.
    pub fn peek(&mut self) -> Result<&Token<'a>, GameError> {
        let t = match self.peeked.take() {
            Some(t) => t,
            None => self.scan()?,
        };
        Ok(self.peeked.insert(t))
    }

    fn scan(&mut self) -> Result<Token<'a>, GameError> {
        self.escape_prev = self.escape_cur.take();
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() && is_space(bytes[self.pos]) {
            self.bump(bytes[self.pos]);
        }
        let (line, col) = (self.line, self.col);
        let tok = |kind, text| Token {
            kind,
            text,
            line,
            col,
        };
        let Some(&b) = bytes.get(self.pos) else {
            return Ok(tok(TokenKind::Eof, Cow::Borrowed("")));
        };
        match b {
            b'{' => {
                self.bump(b);
                Ok(tok(TokenKind::LBrace, Cow::Borrowed("")))
            }
            b'}' => {
                self.bump(b);
                Ok(tok(TokenKind::RBrace, Cow::Borrowed("")))
            }
            b',' => {
                self.bump(b);
                Ok(tok(TokenKind::Comma, Cow::Borrowed("")))
            }
            b'"' => {
                self.bump(b);
                let start = self.pos;
                let mut owned: Option<String> = None;
                let mut seg = start;
                loop {
                    let Some(&c) = bytes.get(self.pos) else {
                        let mut msg = String::from(
                            "unterminated string starting here (no closing '\"' before the end of the file)",
                        );
                        if let Some((l, c)) = self.escape_cur {
                            msg.push_str(&format!(
                                "; the escaped quote \\\" at {l}:{c} does not end it (write a label ending in a backslash as \\\\)"
                            ));
                        }
                        return Err(self.error_at(line, col, msg));
                    };
                    match c {
                        b'"' => {
                            let text = match owned {
                                Some(mut s) => {
                                    s.push_str(&self.src[seg..self.pos]);
                                    Cow::Owned(s)
                                }
                                None => Cow::Borrowed(&self.src[start..self.pos]),
                            };
                            self.bump(c);
                            return Ok(tok(TokenKind::Str, text));
                        }
                        b'\\' if matches!(bytes.get(self.pos + 1), Some(b'"') | Some(b'\\')) => {
                            if bytes[self.pos + 1] == b'"' && self.escape_cur.is_none() {
                                self.escape_cur = Some((self.line, self.col));
                            }
                            let s = owned.get_or_insert_with(String::new);
                            s.push_str(&self.src[seg..self.pos]);
                            // Keep the escaped character, drop the backslash.
                            self.bump(c);
                            seg = self.pos;
                            let e = bytes[self.pos];
                            self.bump(e);
                        }
                        _ => self.bump(c),
                    }
                }
            }
            _ => {
                let start = self.pos;
                while self.pos < bytes.len() && !is_delimiter(bytes[self.pos]) {
                    self.bump(bytes[self.pos]);
                }
                Ok(tok(
                    TokenKind::Word,
                    Cow::Borrowed(&self.src[start..self.pos]),
                ))
            }
        }
    }
}

/// Parses a number word exactly. Integers and decimals of up to 18 digits
/// take a fast path; everything else goes through [`parse_rational`].
pub fn parse_number(s: &str) -> Option<Rational> {
    let bytes = s.as_bytes();
    let (neg, digits) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        Some(b'+') => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    if !digits.is_empty() && digits.len() <= 18 {
        let mut mantissa: i64 = 0;
        let mut scale: u32 = 0;
        let mut seen_dot = false;
        let mut ndigits = 0;
        let mut simple = true;
        for &c in digits {
            match c {
                b'0'..=b'9' => {
                    mantissa = mantissa * 10 + i64::from(c - b'0');
                    ndigits += 1;
                    if seen_dot {
                        scale += 1;
                    }
                }
                b'.' if !seen_dot => seen_dot = true,
                _ => {
                    simple = false;
                    break;
                }
            }
        }
        if simple && ndigits > 0 {
            let m = if neg { -mantissa } else { mantissa };
            let value = if scale == 0 {
                Rational::from_integer(BigInt::from(m))
            } else {
                // Reduce in machine integers; skip BigInt's gcd.
                let den = 10i64.pow(scale);
                let g = gcd(mantissa.unsigned_abs(), den.unsigned_abs()) as i64;
                Rational::new_raw(BigInt::from(m / g), BigInt::from(den / g))
            };
            return Some(value);
        }
    }
    parse_rational(s)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Parses a nonnegative whole number that fits in `usize` (indices,
/// counts). Returns `None` for anything else (signs, fractions, overflow).
pub fn parse_index(s: &str) -> Option<usize> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &str) -> Vec<(TokenKind, String, usize, usize)> {
        let mut lx = Lexer::new(src, "t");
        let mut out = Vec::new();
        loop {
            let t = lx.next_token().unwrap();
            let k = t.kind;
            out.push((k, t.text.to_string(), t.line, t.col));
            if k == TokenKind::Eof {
                return out;
            }
        }
    }

    #[test]
    fn tokens_carry_positions() {
        let t = tokens("NFG 1 R \"a b\"\n{ 3,-2/3 }");
        assert_eq!(t[0], (TokenKind::Word, "NFG".into(), 1, 1));
        assert_eq!(t[3], (TokenKind::Str, "a b".into(), 1, 9));
        assert_eq!(t[4], (TokenKind::LBrace, "".into(), 2, 1));
        assert_eq!(t[5], (TokenKind::Word, "3".into(), 2, 3));
        assert_eq!(t[6], (TokenKind::Comma, "".into(), 2, 4));
        assert_eq!(t[7], (TokenKind::Word, "-2/3".into(), 2, 5));
        assert_eq!(t[8], (TokenKind::RBrace, "".into(), 2, 10));
        assert_eq!(t[9].0, TokenKind::Eof);
    }

    #[test]
    fn strings_unescape_and_span_lines() {
        let t = tokens("\"say \\\"hi\\\"\" \"a\\\\b\" \"x\\wedge\" \"two\nlines\" é \"ü\" z");
        assert_eq!(t[0].1, "say \"hi\"");
        assert_eq!(t[1].1, "a\\b");
        assert_eq!(t[2].1, "x\\wedge");
        assert_eq!(t[3].1, "two\nlines");
        assert_eq!((t[3].2, t[3].3), (1, 31));
        // Columns count characters, not bytes.
        assert_eq!((t[4].2, t[4].3), (2, 8));
        assert_eq!((t[6].2, t[6].3), (2, 14));
    }

    #[test]
    fn unterminated_string_points_at_its_start() {
        let mut lx = Lexer::new("NFG\n  \"abc\\\"", "f.nfg");
        lx.next_token().unwrap();
        let e = lx.next_token().unwrap_err().to_string();
        assert!(
            e.starts_with("f.nfg:2:3: unterminated string starting here"),
            "{e}"
        );
    }

    #[test]
    fn numbers_are_exact() {
        let q = |n: i64, d: i64| Rational::new(BigInt::from(n), BigInt::from(d));
        assert_eq!(parse_number("7.600000"), Some(q(38, 5)));
        assert_eq!(parse_number("-3"), Some(q(-3, 1)));
        assert_eq!(parse_number("+.5"), Some(q(1, 2)));
        assert_eq!(parse_number("-3/4"), Some(q(-3, 4)));
        assert_eq!(parse_number("1e-3"), Some(q(1, 1000)));
        assert_eq!(
            parse_number("123456789012345678901234567890"),
            "123456789012345678901234567890"
                .parse::<BigInt>()
                .ok()
                .map(Rational::from_integer)
        );
        for bad in ["", "-", ".", "1.2.3", "abc", "1/0", "--1", "1-"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
        assert_eq!(parse_index("12"), Some(12));
        assert_eq!(parse_index("+1"), None);
        assert_eq!(parse_index("99999999999999999999999"), None);
    }
}
