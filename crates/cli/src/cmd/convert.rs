//! `detente convert FILE --to nfg|efg|json`: between Gambit's formats and
//! Detente's JSON. An extensive game converts to `.nfg` through its reduced
//! normal form; a normal-form game cannot become a tree.

use anyhow::anyhow;
use clap::{Args, ValueEnum};
use detente_game::{game_to_json, read_game_file, write_efg, write_nfg, Game};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Target {
    Nfg,
    Efg,
    Json,
}

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Game file (.nfg or .efg; `-` reads standard input).
    pub file: String,
    /// Output format.
    #[arg(long, value_enum)]
    pub to: Target,
}

pub fn run(a: ConvertArgs) -> anyhow::Result<()> {
    let game = read_game_file(&a.file).map_err(|e| anyhow!("{e}"))?;
    let out = match (a.to, &game) {
        (Target::Json, g) => serde_json::to_string_pretty(&game_to_json(g))?,
        (Target::Nfg, Game::Normal(g)) => write_nfg(g),
        (Target::Nfg, g @ Game::Extensive(_)) => {
            let nf = g.to_normal_form().map_err(|e| anyhow!("{}: {e}", a.file))?;
            write_nfg(&nf)
        }
        (Target::Efg, Game::Extensive(g)) => write_efg(g),
        (Target::Efg, Game::Normal(_)) => {
            return Err(anyhow!(
            "{}: a normal-form game has no game tree to write as .efg (convert it to nfg or json)",
            a.file
        ))
        }
    };
    super::emit(&out)?;
    if !out.ends_with('\n') {
        super::emit("\n")?;
    }
    Ok(())
}
