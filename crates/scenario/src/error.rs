//! Scenario errors: every one names the file, line and column, and where a
//! name was mistyped, the nearest valid name.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

impl std::error::Error for ScenarioError {}

/// Maps byte offsets to 1-based line and column (in characters).
pub struct Locator<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl Locator<'_> {
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let col = before
            .rsplit('\n')
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0)
            + 1;
        (line, col)
    }

    pub fn error(&self, offset: usize, message: impl Into<String>) -> ScenarioError {
        let (line, col) = self.line_col(offset);
        ScenarioError {
            file: self.file.to_string(),
            line,
            col,
            message: message.into(),
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Levenshtein distance, for "did you mean".
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate nearest to `name`, if it is near enough to be a typo.
pub fn did_you_mean<'a, I: IntoIterator<Item = &'a str>>(
    name: &str,
    candidates: I,
) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// ", did you mean `x`?" or nothing.
pub fn suggestion<'a, I: IntoIterator<Item = &'a str>>(name: &str, candidates: I) -> String {
    match did_you_mean(name, candidates) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_offsets() {
        let l = Locator {
            file: "s.toml",
            text: "a = 1\nbé = 2\n",
        };
        assert_eq!(l.line_col(0), (1, 1));
        assert_eq!(l.line_col(6), (2, 1));
        assert_eq!(l.line_col(9), (2, 3));
        assert_eq!(l.error(6, "x").to_string(), "s.toml:2:1: x");
    }

    #[test]
    fn suggests_near_names() {
        assert_eq!(did_you_mean("qouta", ["quota", "members"]), Some("quota"));
        assert_eq!(did_you_mean("RSU", ["RUS", "USA"]), Some("RUS"));
        assert_eq!(did_you_mean("zzzzzz", ["quota"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
