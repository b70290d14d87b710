//! Game models for Detente: normal-form games with any number of players,
//! extensive-form games, and Gambit's `.nfg`/`.efg` file formats.
//!
//! Payoffs are stored exactly as [`Rational`]s; solvers convert to any
//! [`Scalar`] (exact rationals or `f64`) with [`NormalFormGame::payoff_table`].
//!
//! Reading and writing: [`read_game_file`] (`-` = standard input) and
//! [`read_game`] sniff Gambit's `NFG`/`EFG` formats and return a [`Game`];
//! [`read_nfg`]/[`write_nfg`] and [`read_efg`]/[`write_efg`] handle one
//! format each; [`game_to_json`] gives a JSON form. Errors name
//! `file:line:col`. Trees ([`ExtensiveGame`]) give their reduced strategic
//! form, exactly as Gambit 16.7 builds it, with
//! [`ExtensiveGame::reduced_normal_form`] or [`Game::to_normal_form`].
//! Which labels are accepted is documented in [`labels`].

pub mod efg;
pub mod error;
pub mod extensive;
pub mod io;
pub mod json;
pub mod labels;
pub mod lexer;
pub mod nfg;
pub mod normal;
pub mod number;
pub mod profile_text;
pub mod reduce;

pub use efg::{read_efg, write_efg};
pub use error::{GameError, Location};
pub use extensive::{ExtensiveGame, Infoset, InfosetSpec, Node, NodeKind, NodeSpec};
pub use io::{read_game, read_game_bytes, read_game_file, write_game, Game};
pub use json::game_to_json;
pub use nfg::{read_nfg, write_nfg};
pub use normal::{NormalFormGame, Outcome, MAX_PROFILES};
pub use number::{format_rational, parse_rational, Rational, Scalar};
pub use profile_text::{parse_profile_text, ProfileTextError};
pub use reduce::ReducedStrategy;
