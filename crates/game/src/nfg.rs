//! Gambit's `.nfg` format (strategic games): reader and writer.
//!
//! Grammar (see Gambit's `doc/formats.nfg*.rst`; Gambit's reader is
//! `src/games/file.cc`):
//!
//! ```text
//! NFG 1 R "title" { "player 1" "player 2" ... }
//! { 3 2 }                                  -- strategy counts, or
//! { { "a" "b" "c" } { "x" "y" } }          -- strategy labels per player
//! "optional comment"
//! body
//! ```
//!
//! The body is either a flat list of payoffs (one block of n numbers per
//! pure profile, player 1's strategy varying fastest) or an outcome list
//! `{ { "label" u1, u2 } ... }` followed by one outcome index per profile
//! (`0` = the null outcome). The data-type letter may be `R` or legacy `D`.
//!
//! Detente is stricter than Gambit where Gambit silently accepted broken
//! files: the payoff body must hold exactly (profiles x players) numbers
//! (too few and too many are both errors), outcome indices must exist, and
//! the table size is checked against [`crate::MAX_PROFILES`] before anything
//! is allocated. Label rules are in [`crate::labels`].

use crate::error::GameError;
use crate::labels::{first_duplicate, normalize_labels};
use crate::lexer::{parse_index, parse_number, Lexer, Token, TokenKind};
use crate::normal::{checked_profile_count, NormalFormGame, Outcome};
use crate::number::{format_rational, Rational};
use std::fmt::Write as _;

/// Reads the first three header tokens: the magic word (`NFG`/`EFG`), the
/// version and the data type (`R` or `D`), then the title.
pub(crate) fn read_header(
    lx: &mut Lexer<'_>,
    magic: &str,
    version: &str,
) -> Result<String, GameError> {
    let t = lx.next_token()?;
    if !(t.kind == TokenKind::Word && t.text == magic) {
        let what = format!(
            "'{magic}' (the file type) at the start of a .{} file",
            magic.to_lowercase()
        );
        return Err(lx.expected(&t, &what));
    }
    let t = lx.next_token()?;
    match t.kind {
        TokenKind::Word if t.text == version => {}
        TokenKind::Word => {
            return Err(lx.error(
                &t,
                format!(
                    "unsupported {magic} version '{}': only version {version} exists",
                    t.text
                ),
            ))
        }
        _ => return Err(lx.expected(&t, &format!("the {magic} version number {version}"))),
    }
    let t = lx.next_token()?;
    match t.kind {
        TokenKind::Word if t.text == "R" || t.text == "D" => {}
        TokenKind::Word => {
            return Err(lx.error(
                &t,
                format!("unsupported number type '{}': expected 'R' or 'D'", t.text),
            ))
        }
        _ => return Err(lx.expected(&t, "the number type 'R' or 'D'")),
    }
    let t = lx.next_token()?;
    if t.kind != TokenKind::Str {
        return Err(lx.expected(&t, "the game title (a quoted string)"));
    }
    Ok(t.text.into_owned())
}

/// Reads `{ "p1" "p2" ... }` and applies the player-label rule: no two
/// players may share a non-empty label; empty labels become `_1`, `_2`, ...
pub(crate) fn read_players(lx: &mut Lexer<'_>) -> Result<Vec<String>, GameError> {
    let t = lx.next_token()?;
    if t.kind != TokenKind::LBrace {
        return Err(lx.expected(&t, "'{' opening the list of player labels"));
    }
    let mut players = Vec::new();
    let mut positions: Vec<(usize, usize)> = Vec::new();
    loop {
        let t = lx.next_token()?;
        match t.kind {
            TokenKind::Str => {
                positions.push((t.line, t.col));
                players.push(t.text.into_owned());
            }
            TokenKind::RBrace => {
                if players.is_empty() {
                    return Err(lx.error(&t, "the game has no players: the player list is empty"));
                }
                break;
            }
            _ => return Err(lx.expected(&t, "a player label (a quoted string) or '}'")),
        }
    }
    if let Some((i, j)) = first_duplicate(&players) {
        let (line, col) = positions[j];
        return Err(lx.error_at(
            line,
            col,
            format!(
                "players {} and {} are both labelled \"{}\"; player labels must be distinct",
                i + 1,
                j + 1,
                players[j]
            ),
        ));
    }
    normalize_labels(&mut players);
    Ok(players)
}

/// Reads an exact number or fails with "expected a number (WHAT), found ...".
pub(crate) fn expect_number(
    lx: &mut Lexer<'_>,
    what: &dyn Fn() -> String,
) -> Result<Rational, GameError> {
    let t = lx.next_token()?;
    if t.kind == TokenKind::Word {
        if let Some(v) = parse_number(&t.text) {
            return Ok(v);
        }
    }
    Err(lx.expected(&t, &format!("a number ({})", what())))
}

/// Quotes a label for Gambit's formats: `"` becomes `\"`, and a backslash
/// is doubled only where it would otherwise escape something (before a
/// quote or a backslash, or at the end), so ordinary backslashes (`\wedge`)
/// read the same in Gambit and Detente.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => {
                if matches!(chars.peek(), None | Some('"') | Some('\\')) {
                    out.push_str("\\\\");
                } else {
                    out.push('\\');
                }
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// "(s1,s2,...)" with 1-based strategy numbers of the profile at `cell`.
fn profile_text(shape: &[usize], mut cell: usize) -> String {
    let parts: Vec<String> = shape
        .iter()
        .map(|&k| {
            let s = cell % k;
            cell /= k;
            (s + 1).to_string()
        })
        .collect();
    format!("({})", parts.join(","))
}

/// Reads a game in `.nfg` format. `file` names the input in errors.
pub fn read_nfg(text: &str, file: &str) -> Result<NormalFormGame, GameError> {
    let mut lx = Lexer::new(text, file);
    let title = read_header(&mut lx, "NFG", "1")?;
    let players = read_players(&mut lx)?;
    let n = players.len();

    // Strategy block.
    let open = lx.next_token()?;
    if open.kind != TokenKind::LBrace {
        return Err(lx.expected(&open, "'{' opening the strategy counts or strategy labels"));
    }
    let mut strategies: Vec<Vec<String>> = Vec::with_capacity(n);
    let mut counts: Option<Vec<usize>> = None;
    if lx.peek()?.kind == TokenKind::LBrace {
        for p in 0..n {
            let t = lx.next_token()?;
            if t.kind != TokenKind::LBrace {
                return Err(lx.expected(
                    &t,
                    &format!(
                        "'{{' opening the strategy labels of player {} (there are {n} players)",
                        p + 1
                    ),
                ));
            }
            let mut labels = Vec::new();
            loop {
                let t = lx.next_token()?;
                match t.kind {
                    TokenKind::Str => labels.push(t.text.into_owned()),
                    TokenKind::RBrace if labels.is_empty() => {
                        return Err(lx.error(
                            &t,
                            format!(
                                "player {} has no strategies; every player needs at least one",
                                p + 1
                            ),
                        ))
                    }
                    TokenKind::RBrace => break,
                    _ => {
                        return Err(lx.expected(
                            &t,
                            &format!(
                                "a strategy label of player {} (a quoted string) or '}}'",
                                p + 1
                            ),
                        ))
                    }
                }
            }
            normalize_labels(&mut labels);
            strategies.push(labels);
        }
        let t = lx.next_token()?;
        if t.kind != TokenKind::RBrace {
            return Err(lx.expected(
                &t,
                &format!("'}}' closing the strategy lists (one list per player, {n} players)"),
            ));
        }
        let shape: Vec<usize> = strategies.iter().map(Vec::len).collect();
        checked_profile_count(&shape).map_err(|e| lx.error(&open, e.to_string()))?;
    } else {
        let mut shape = Vec::with_capacity(n);
        for p in 0..n {
            let t = lx.next_token()?;
            let k = match t.kind {
                TokenKind::Word => parse_index(&t.text),
                _ => None,
            };
            match k {
                Some(0) => {
                    return Err(lx.error(
                        &t,
                        format!(
                            "player {} has 0 strategies; every player needs at least one",
                            p + 1
                        ),
                    ))
                }
                Some(k) => shape.push(k),
                None => {
                    return Err(lx.expected(
                        &t,
                        &format!(
                            "the number of strategies of player {} (a positive whole number)",
                            p + 1
                        ),
                    ))
                }
            }
        }
        let t = lx.next_token()?;
        if t.kind != TokenKind::RBrace {
            return Err(lx.expected(
                &t,
                &format!("'}}' closing the strategy counts (one count per player, {n} players)"),
            ));
        }
        // Check the size before creating anything; the labels "1", "2",
        // ... are made only once the body has been read.
        checked_profile_count(&shape).map_err(|e| lx.error(&open, e.to_string()))?;
        counts = Some(shape);
    }
    let shape: Vec<usize> = match &counts {
        Some(c) => c.clone(),
        None => strategies.iter().map(Vec::len).collect(),
    };
    let cells = checked_profile_count(&shape).map_err(|e| lx.error(&open, e.to_string()))?;
    let labels = move || match counts {
        Some(c) => c
            .iter()
            .map(|&k| (1..=k).map(|i| i.to_string()).collect())
            .collect(),
        None => strategies,
    };

    let mut comment = String::new();
    if lx.peek()?.kind == TokenKind::Str {
        comment = lx.next_token()?.text.into_owned();
    }

    let body = lx.peek()?.clone();
    let mut game = match body.kind {
        TokenKind::Word => read_payoff_body(&mut lx, players, labels, &shape, cells, text.len())?,
        TokenKind::LBrace => read_outcome_body(&mut lx, players, labels, &shape, cells)?,
        _ => {
            return Err(lx.expected(&body, "the payoffs (numbers) or an outcome list ('{')"));
        }
    };
    game.title = title;
    game.comment = comment;
    Ok(game)
}

fn build_error(lx: &Lexer<'_>, at: &Token<'_>, e: GameError) -> GameError {
    match e {
        GameError::Invalid(m) => lx.error(at, m),
        other => other,
    }
}

fn read_payoff_body(
    lx: &mut Lexer<'_>,
    players: Vec<String>,
    strategies: impl FnOnce() -> Vec<Vec<String>>,
    shape: &[usize],
    cells: usize,
    text_len: usize,
) -> Result<NormalFormGame, GameError> {
    let n = players.len();
    let total = cells * n;
    // Every payoff takes at least two bytes ("0 "): never reserve more than
    // the text can hold, so a lying header cannot make us allocate.
    let mut payoffs: Vec<Vec<Rational>> = Vec::with_capacity(cells.min(text_len / (2 * n) + 1));
    let start = lx.peek()?.clone();
    for c in 0..cells {
        let mut cell = Vec::with_capacity(n);
        for p in 0..n {
            let v = expect_number(lx, &|| {
                format!(
                    "payoff {} of {total}: player {} at strategy profile {}",
                    c * n + p + 1,
                    p + 1,
                    profile_text(shape, c)
                )
            })?;
            cell.push(v);
        }
        payoffs.push(cell);
    }
    let t = lx.next_token()?;
    if t.kind != TokenKind::Eof {
        return Err(lx.expected(
            &t,
            &format!(
                "end of file after the {total} payoffs ({cells} strategy profiles x {n} players)"
            ),
        ));
    }
    NormalFormGame::from_payoffs(players, strategies(), payoffs)
        .map_err(|e| build_error(lx, &start, e))
}

fn read_outcome_body(
    lx: &mut Lexer<'_>,
    players: Vec<String>,
    strategies: impl FnOnce() -> Vec<Vec<String>>,
    shape: &[usize],
    cells: usize,
) -> Result<NormalFormGame, GameError> {
    let n = players.len();
    let start = lx.next_token()?; // the '{' opening the outcome list
    let mut outcomes: Vec<Outcome> = Vec::new();
    loop {
        let t = lx.next_token()?;
        match t.kind {
            TokenKind::RBrace => break,
            TokenKind::LBrace => {}
            _ => return Err(lx.expected(
                &t,
                "an outcome ('{' followed by a label and payoffs) or '}' closing the outcome list",
            )),
        }
        let k = outcomes.len() + 1;
        let t = lx.next_token()?;
        if t.kind != TokenKind::Str {
            return Err(lx.expected(&t, &format!("the label of outcome {k} (a quoted string)")));
        }
        let label = t.text.into_owned();
        let mut payoffs = Vec::with_capacity(n);
        for p in 0..n {
            payoffs.push(expect_number(lx, &|| {
                format!("the payoff of player {} in outcome {k}", p + 1)
            })?);
            if lx.peek()?.kind == TokenKind::Comma {
                lx.next_token()?;
            }
        }
        let t = lx.next_token()?;
        if t.kind != TokenKind::RBrace {
            return Err(lx.expected(
                &t,
                &format!("'}}' closing outcome {k} (an outcome has one payoff per player: {n})"),
            ));
        }
        outcomes.push(Outcome { label, payoffs });
    }
    let m = outcomes.len();
    let mut cell_outcomes: Vec<Option<usize>> = Vec::with_capacity(cells.min(1 << 16));
    for c in 0..cells {
        let t = lx.next_token()?;
        let idx = match t.kind {
            TokenKind::Word => parse_index(&t.text),
            _ => None,
        };
        match idx {
            Some(0) => cell_outcomes.push(None),
            Some(i) if i <= m => cell_outcomes.push(Some(i - 1)),
            Some(i) => {
                return Err(lx.error(
                    &t,
                    format!(
                        "outcome index {i} is out of range: the outcome list has {m} outcome{} (0 means no outcome)",
                        if m == 1 { "" } else { "s" }
                    ),
                ))
            }
            None => {
                return Err(lx.expected(
                    &t,
                    &format!(
                        "an outcome index (a whole number from 0 to {m}) for strategy profile {} ({} of {cells})",
                        profile_text(shape, c),
                        c + 1
                    ),
                ))
            }
        }
    }
    let t = lx.next_token()?;
    if t.kind != TokenKind::Eof {
        return Err(lx.expected(
            &t,
            &format!("end of file after the {cells} outcome indices (one per strategy profile)"),
        ));
    }
    NormalFormGame::from_outcomes(players, strategies(), outcomes, cell_outcomes)
        .map_err(|e| build_error(lx, &start, e))
}

/// Whether the game is written in payoff form: every cell has its own
/// unlabeled outcome, in cell order (what [`NormalFormGame::from_payoffs`]
/// and the payoff-form reader build).
fn is_payoff_form(g: &NormalFormGame) -> bool {
    g.outcomes().len() == g.num_profiles()
        && g.outcomes().iter().all(|o| o.label.is_empty())
        && g.cells().iter().enumerate().all(|(i, c)| *c == Some(i))
}

/// Writes the header shared by both body forms.
fn write_header(g: &NormalFormGame, out: &mut String) {
    let players: Vec<String> = g.players().iter().map(|p| quote(p)).collect();
    let _ = writeln!(
        out,
        "NFG 1 R {} {{ {} }}",
        quote(&g.title),
        players.join(" ")
    );
    out.push('\n');
    out.push_str("{ ");
    for s in g.strategies() {
        let labels: Vec<String> = s.iter().map(|l| quote(l)).collect();
        let _ = writeln!(out, "{{ {} }}", labels.join(" "));
    }
    out.push_str("}\n");
    let _ = writeln!(out, "{}", quote(&g.comment));
    out.push('\n');
}

/// Writes a game in `.nfg` format, as Gambit does: the payoff form (one
/// line per pure profile) when every cell has its own unlabeled outcome,
/// the outcome form otherwise (so outcome labels and shared outcomes
/// survive). Gambit and [`read_nfg`] read the result back to the same game.
pub fn write_nfg(g: &NormalFormGame) -> String {
    let mut out = String::new();
    write_header(g, &mut out);
    if is_payoff_form(g) {
        for c in 0..g.num_profiles() {
            let vals: Vec<String> = g.payoffs_at(c).iter().map(format_rational).collect();
            out.push_str(&vals.join(" "));
            out.push('\n');
        }
    } else {
        out.push_str("{\n");
        for o in g.outcomes() {
            let vals: Vec<String> = o.payoffs.iter().map(format_rational).collect();
            let _ = writeln!(out, "{{ {} {} }}", quote(&o.label), vals.join(", "));
        }
        out.push_str("}\n");
        let idx: Vec<String> = g
            .cells()
            .iter()
            .map(|c| c.map_or(0, |k| k + 1).to_string())
            .collect();
        out.push_str(&idx.join(" "));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

    fn r(v: i64) -> Rational {
        Rational::from_integer(BigInt::from(v))
    }

    const SELTEN_PAY: &str = "NFG 1 R \"Selten (IJGT, 75), Figure 2, normal form\" { \"Player 1\" \"Player 2\" } { 3 2 }\n\n1 1 0 2 0 2 1 1 0 3 2 0\n";
    const SELTEN_OUT: &str = "NFG 1 R \"Selten (IJGT, 75), Figure 2, normal form\"
{ \"Player 1\" \"Player 2\" } { { \"1\" \"2\" \"3\" } { \"1\" \"2\" } }
\"\"
{ { \"\" 1, 1 } { \"\" 0, 2 } { \"\" 0, 3 } { \"\" 2, 0 } }
1 2 2 1 3 4
";

    #[test]
    fn reads_both_bodies_of_the_same_game() {
        let a = read_nfg(SELTEN_PAY, "a.nfg").unwrap();
        let b = read_nfg(SELTEN_OUT, "b.nfg").unwrap();
        assert_eq!(a.shape(), vec![3, 2]);
        assert_eq!(
            a.players(),
            &["Player 1".to_string(), "Player 2".to_string()]
        );
        for c in 0..6 {
            assert_eq!(a.payoffs_at(c), b.payoffs_at(c), "cell {c}");
        }
        assert_eq!(a.payoffs_at(4), &[r(0), r(3)]);
        assert_eq!(b.outcomes().len(), 4);
    }

    #[test]
    fn writer_round_trips_both_forms() {
        for src in [SELTEN_PAY, SELTEN_OUT] {
            let g = read_nfg(src, "x").unwrap();
            let w = write_nfg(&g);
            let h = read_nfg(&w, "w").unwrap();
            assert_eq!(g, h);
            assert_eq!(write_nfg(&h), w);
        }
        let w = write_nfg(&read_nfg(SELTEN_PAY, "x").unwrap());
        assert!(w.ends_with("\"\"\n\n1 1\n0 2\n0 2\n1 1\n0 3\n2 0\n"), "{w}");
    }

    #[test]
    fn quoting_round_trips_backslashes_and_quotes() {
        for s in [
            "plain",
            "a \"b\"",
            "x\\wedge",
            "ends\\",
            "\\\"",
            "a\\\\b",
            "line\nbreak",
        ] {
            let src = format!("NFG 1 R {} {{ \"p\" }} {{ 1 }} 0", quote(s));
            let g = read_nfg(&src, "q").unwrap();
            assert_eq!(g.title, s);
        }
        assert_eq!(quote("x\\wedge"), "\"x\\wedge\"");
    }

    #[test]
    fn errors_name_the_place() {
        let e = read_nfg(
            "NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n1 2 3 4 5 6 7\n",
            "f.nfg",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "f.nfg:3:1: expected a number (payoff 8 of 8: player 2 at strategy profile (2,2)), found end of file"
        );
        let e = read_nfg(
            "NFG 1 R \"t\" { \"a\" } { 100000 100000 100000 }",
            "big.nfg",
        );
        let e = e.unwrap_err().to_string();
        assert!(e.starts_with("big.nfg:1:"), "{e}");
        let e = read_nfg(
            "NFG 1 R \"t\" { \"a\" \"b\" } { 100000 100000 } 1",
            "big.nfg",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("more than"), "{e}");
    }
}
