//! Reading and writing games whatever their form: [`Game`], [`read_game`]
//! (sniffs `NFG`/`EFG`), [`read_game_file`] (`-` = standard input).

use crate::efg::{read_efg, write_efg};
use crate::error::GameError;
use crate::extensive::ExtensiveGame;
use crate::lexer::{Lexer, TokenKind};
use crate::nfg::{read_nfg, write_nfg};
use crate::normal::NormalFormGame;
use std::borrow::Cow;
use std::io::Read;

/// A game in either form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Game {
    Normal(NormalFormGame),
    Extensive(ExtensiveGame),
}

impl Game {
    /// The strategic form: the game itself, or the reduced strategic form
    /// of a tree (an error if that would exceed [`crate::MAX_PROFILES`]).
    pub fn to_normal_form(&self) -> Result<Cow<'_, NormalFormGame>, GameError> {
        match self {
            Game::Normal(g) => Ok(Cow::Borrowed(g)),
            Game::Extensive(t) => t.reduced_normal_form().map(Cow::Owned),
        }
    }
    pub fn title(&self) -> &str {
        match self {
            Game::Normal(g) => &g.title,
            Game::Extensive(t) => &t.title,
        }
    }
    pub fn comment(&self) -> &str {
        match self {
            Game::Normal(g) => &g.comment,
            Game::Extensive(t) => &t.comment,
        }
    }
    pub fn players(&self) -> &[String] {
        match self {
            Game::Normal(g) => g.players(),
            Game::Extensive(t) => t.players(),
        }
    }
    pub fn num_players(&self) -> usize {
        self.players().len()
    }
    pub fn is_constant_sum(&self) -> bool {
        match self {
            Game::Normal(g) => g.is_constant_sum(),
            Game::Extensive(t) => t.is_constant_sum(),
        }
    }
    /// The game in its own format (`.nfg` or `.efg` text).
    pub fn to_gambit_text(&self) -> String {
        match self {
            Game::Normal(g) => write_nfg(g),
            Game::Extensive(t) => write_efg(t),
        }
    }
    /// `"nfg"` or `"efg"`.
    pub fn format_name(&self) -> &'static str {
        match self {
            Game::Normal(_) => "nfg",
            Game::Extensive(_) => "efg",
        }
    }
}

/// Reads a game in Gambit's `.nfg` or `.efg` format, deciding by the first
/// word (`NFG` or `EFG`). `file_name` names the input in errors.
pub fn read_game(text: &str, file_name: &str) -> Result<Game, GameError> {
    let mut lx = Lexer::new(text, file_name);
    let first = lx.next_token()?;
    match (first.kind, first.text.as_ref()) {
        (TokenKind::Word, "NFG") => read_nfg(text, file_name).map(Game::Normal),
        (TokenKind::Word, "EFG") => read_efg(text, file_name).map(Game::Extensive),
        (TokenKind::Eof, _) => Err(lx.error(&first, "the file is empty: expected a Gambit game ('NFG' or 'EFG')")),
        (TokenKind::Word, w) if w.starts_with("#AGG") || w.starts_with("#BAGG") => Err(lx.error(
            &first,
            format!("'{w}': action-graph games are not supported; Detente reads Gambit's .nfg and .efg formats"),
        )),
        (TokenKind::Word, w) if w.starts_with("<") => Err(lx.error(
            &first,
            "this looks like XML (a Gambit .gbt workbook?); Detente reads Gambit's .nfg and .efg formats",
        )),
        _ => Err(lx.expected(&first, "'NFG' or 'EFG' (a Gambit .nfg or .efg game file)")),
    }
}

/// Reads a game from bytes: like [`read_game`], after checking the bytes
/// are UTF-8 (an error names the line and column of the first bad byte).
pub fn read_game_bytes(bytes: &[u8], file_name: &str) -> Result<Game, GameError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => read_game(text, file_name),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            Err(GameError::parse(
                file_name,
                line,
                col,
                "the file is not UTF-8 text (invalid byte here)",
            ))
        }
    }
}

/// Reads a game file; `-` reads standard input (named `<stdin>` in
/// errors). I/O errors name the path.
pub fn read_game_file(path: &str) -> Result<Game, GameError> {
    let (bytes, name) = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| GameError::Invalid(format!("<stdin>: cannot read standard input: {e}")))?;
        (buf, "<stdin>")
    } else {
        let buf = std::fs::read(path)
            .map_err(|e| GameError::Invalid(format!("{path}: cannot read the file: {e}")))?;
        (buf, path)
    };
    read_game_bytes(&bytes, name)
}

/// Writes a game in its own format (`.nfg` for strategic games, `.efg`
/// for trees).
pub fn write_game(game: &Game) -> String {
    game.to_gambit_text()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_format() {
        let g = read_game("NFG 1 R \"t\" { \"a\" \"b\" } { 1 1 } 1 2", "x").unwrap();
        assert!(matches!(g, Game::Normal(_)));
        assert_eq!(g.to_normal_form().unwrap().payoffs_at(0).len(), 2);
        let t = read_game("EFG 2 R \"t\" { \"a\" } t \"\" 1 \"o\" { 3 }", "y").unwrap();
        assert!(matches!(t, Game::Extensive(_)));
        let nf = t.to_normal_form().unwrap();
        assert_eq!(nf.strategies(), &[vec!["*".to_string()]]);
        assert_eq!(
            read_game("  \n", "e.nfg").unwrap_err().to_string(),
            "e.nfg:2:1: the file is empty: expected a Gambit game ('NFG' or 'EFG')"
        );
        assert_eq!(
            read_game("GAME 1", "g.txt").unwrap_err().to_string(),
            "g.txt:1:1: expected 'NFG' or 'EFG' (a Gambit .nfg or .efg game file), found 'GAME'"
        );
        let e = read_game_bytes(b"NFG 1 R \"\xff\"", "b.nfg")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "b.nfg:1:10: the file is not UTF-8 text (invalid byte here)"
        );
        let e = read_game_file("/nonexistent/dir/x.nfg")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("/nonexistent/dir/x.nfg: cannot read the file"),
            "{e}"
        );
    }
}
