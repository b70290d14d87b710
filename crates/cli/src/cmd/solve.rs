//! `detente solve FILE`: Nash equilibria of a game file (`.nfg`, or `.efg`
//! on its reduced strategic form).
//!
//! Every equilibrium is verified independently
//! ([`detente_solve::verify::verify_equilibrium`]) before it is printed; a
//! profile that fails is an internal error (exit 1), never printed.
//!
//! Output formats:
//! * `text` (default): one Gambit-style line per equilibrium,
//!   `NE,p11,p12,...,p21,...` (players, then strategies, in file order);
//! * `json`: one object `{"method", "arithmetic", "equilibria": [{"profile",
//!   "payoffs", "max_regret", "verified"}], ...}` with exact numbers as
//!   strings (`"1/3"`) or, with `--float`, JSON numbers; `lp` adds
//!   `"value"`, `enummixed` adds `"cliques"` (indices into `equilibria` of
//!   each maximal convex set), `--eliminate-dominated` adds `"eliminated"`;
//! * `csv`: long form, header `equilibrium,player,strategy,probability`
//!   (equilibrium numbered from 1, player and strategy by label).

use crate::UsageError;
use anyhow::{anyhow, Context, Result};
use clap::{Args, ValueEnum};
use detente_game::{format_rational, read_game_file, Game, NormalFormGame, Rational, Scalar};
use detente_solve::dominance::{eliminate_dominated, DominanceKind, Dominator, Reduction};
use detente_solve::enummixed::{enummixed, EnumMixedOptions};
use detente_solve::enumpure::enumpure;
use detente_solve::lcp::{lcp, LcpOptions};
use detente_solve::lp::lp;
use detente_solve::verify::{max_regret, verify_equilibrium, DEFAULT_TOLERANCE};
use detente_solve::{Equilibrium, SolveError};
use serde_json::{json, Value};

/// Equilibrium methods of `detente solve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// All pure-strategy equilibria (any number of players)
    Enumpure,
    /// All extreme equilibria of a two-player game (vertex enumeration)
    Enummixed,
    /// Lemke-Howson: the equilibria accessible by complementary pivoting (two players)
    Lcp,
    /// Linear programming: value and optimal strategies of a two-player constant-sum game
    Lp,
    /// Simplicial subdivision (any number of players; floating point)
    Simpdiv,
    /// Global Newton method (any number of players; floating point)
    Gnm,
    /// Iterated polymatrix approximation (any number of players; floating point)
    Ipa,
    /// Logit quantal-response tracing to a Nash equilibrium (floating point)
    Logit,
    /// Lyapunov-function minimization from many starts (floating point)
    Liap,
    /// All isolated equilibria of small games by support enumeration (floating point)
    Enumpoly,
    /// Subgame-perfect equilibria of a game tree (.efg): backward induction
    /// under perfect information, subgames solved bottom-up otherwise
    Spe,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Enumpure => "enumpure",
            Method::Enummixed => "enummixed",
            Method::Lcp => "lcp",
            Method::Lp => "lp",
            Method::Simpdiv => "simpdiv",
            Method::Gnm => "gnm",
            Method::Ipa => "ipa",
            Method::Logit => "logit",
            Method::Liap => "liap",
            Method::Enumpoly => "enumpoly",
            Method::Spe => "spe",
        }
    }

    /// Methods that compute in floating point only (their answers are
    /// verified within the stated tolerance).
    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Method::Simpdiv
                | Method::Gnm
                | Method::Ipa
                | Method::Logit
                | Method::Liap
                | Method::Enumpoly
        )
    }
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

/// Which dominated strategies to remove before solving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Elimination {
    /// Strictly dominated by another pure strategy
    Pure,
    /// Strictly dominated by a pure or mixed strategy
    Mixed,
}

#[derive(Debug, Args)]
pub struct SolveArgs {
    /// Game file (Gambit .nfg or .efg), or - for standard input
    pub file: String,
    /// Method [default: enummixed for two players, enumpure otherwise]
    #[arg(long, value_enum)]
    pub method: Option<Method>,
    /// Compute in floating point instead of exact rationals
    #[arg(long)]
    pub float: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// First remove iterated strictly dominated strategies (pure, the
    /// default, or mixed); equilibria are reported on the full game
    #[arg(long, value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "pure")]
    pub eliminate_dominated: Option<Elimination>,
    /// lcp only: follow the single path that drops this label (1-based:
    /// player 1's strategies, then player 2's)
    #[arg(long)]
    pub start_label: Option<usize>,
    /// Stop after this many equilibria
    #[arg(long)]
    pub stop_after: Option<usize>,
    /// lcp only: maximum depth of the recursive search (0 = unlimited)
    #[arg(long)]
    pub max_depth: Option<usize>,
    /// Game trees (.efg): solve lcp and lp on the reduced strategic form
    /// instead of the sequence form (behaviour strategies)
    #[arg(long)]
    pub strategic: bool,
}

/// Numbers the command can print.
trait OutNum: Scalar {
    fn to_json(&self) -> Value;
    fn to_text(&self) -> String;
    const ARITHMETIC: &'static str;
}

impl OutNum for Rational {
    fn to_json(&self) -> Value {
        Value::String(format_rational(self))
    }
    fn to_text(&self) -> String {
        format_rational(self)
    }
    const ARITHMETIC: &'static str = "exact";
}

impl OutNum for f64 {
    fn to_json(&self) -> Value {
        serde_json::Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
    fn to_text(&self) -> String {
        format!("{self}")
    }
    const ARITHMETIC: &'static str = "float";
}

/// What a method produced, on the game it was run on.
struct Solved<T> {
    equilibria: Vec<Equilibrium<T>>,
    value: Option<T>,
    cliques: Option<Vec<Vec<usize>>>,
}

pub fn run(args: SolveArgs) -> Result<()> {
    if args.start_label.is_some() && args.method != Some(Method::Lcp) {
        return Err(UsageError("--start-label applies to --method lcp only".into()).into());
    }
    if args.max_depth.is_some() && args.method != Some(Method::Lcp) {
        return Err(UsageError("--max-depth applies to --method lcp only".into()).into());
    }
    if args.start_label == Some(0) {
        return Err(UsageError("--start-label counts from 1".into()).into());
    }
    if args.stop_after == Some(0) {
        return Err(UsageError("--stop-after must be at least 1".into()).into());
    }
    let game = read_game_file(&args.file).map_err(|e| anyhow!("{e}"))?;
    // Trees are solved in behaviour strategies by the sequence-form and
    // subgame methods, as Gambit does, unless --strategic.
    if let Game::Extensive(tree) = &game {
        if matches!(args.method, Some(Method::Lcp | Method::Lp | Method::Spe)) && !args.strategic {
            return crate::cmd::solve_tree::run(&args, tree);
        }
    }
    if args.method == Some(Method::Spe) {
        return Err(anyhow!(
            "{}: spe needs a game tree (.efg); a normal-form game has no subgames",
            args.file
        ));
    }
    let nf = game
        .to_normal_form()
        .map_err(|e| anyhow!("{}: {e}", args.file))?;
    if args.float || args.method.is_some_and(Method::is_numeric) {
        solve_and_print::<f64>(&args, &nf)
    } else {
        solve_and_print::<Rational>(&args, &nf)
    }
}

fn solve_and_print<T: OutNum>(args: &SolveArgs, game: &NormalFormGame) -> Result<()> {
    let method = args.method.unwrap_or(if game.num_players() == 2 {
        Method::Enummixed
    } else {
        Method::Enumpure
    });
    let reduction = match args.eliminate_dominated {
        None => None,
        Some(kind) => {
            let kind = match kind {
                Elimination::Pure => DominanceKind::Pure,
                Elimination::Mixed => DominanceKind::Mixed,
            };
            Some(
                eliminate_dominated(game, kind)
                    .map_err(|e| anyhow!("{}: eliminating dominated strategies: {e}", args.file))?,
            )
        }
    };
    let target = reduction.as_ref().map_or(game, |r| &r.game);
    let mut solved = run_method::<T>(method, target, args)
        .map_err(|e| anyhow!("{}: {}: {e}", args.file, method.name()))?;
    if let Some(r) = &reduction {
        for e in &mut solved.equilibria {
            e.profile = expand(&e.profile, &r.kept, &game.shape());
        }
    }
    if let Some(k) = args.stop_after {
        solved.equilibria.truncate(k);
    }
    for (i, e) in solved.equilibria.iter().enumerate() {
        verify_equilibrium(game, e, DEFAULT_TOLERANCE).map_err(|msg| {
            anyhow!(
                "internal error: {} returned profile {} that fails verification ({msg}); it was not printed. Please report this with the game file.",
                method.name(),
                i + 1
            )
        })?;
    }
    let out = match args.format {
        Format::Text => text_output(&solved),
        Format::Csv => csv_output(game, &solved),
        Format::Json => {
            let v = json_output(game, method, &solved, reduction.as_ref());
            let mut s = serde_json::to_string_pretty(&v).context("writing JSON")?;
            s.push('\n');
            s
        }
    };
    print!("{out}");
    Ok(())
}

fn run_method<T: OutNum>(
    method: Method,
    game: &NormalFormGame,
    args: &SolveArgs,
) -> std::result::Result<Solved<T>, SolveError> {
    Ok(match method {
        Method::Enumpure => Solved {
            equilibria: enumpure::<T>(game),
            value: None,
            cliques: None,
        },
        Method::Enummixed => {
            let r = enummixed::<T>(game, &EnumMixedOptions::default())?;
            let cliques = r
                .cliques
                .iter()
                .map(|c| {
                    let mut ks: Vec<usize> = Vec::new();
                    for &row in &c.rows {
                        for &col in &c.cols {
                            if let Some(k) = r.pairs.iter().position(|&p| p == (row, col)) {
                                ks.push(k);
                            }
                        }
                    }
                    ks.sort_unstable();
                    ks
                })
                .collect();
            Solved {
                equilibria: r.equilibria,
                value: None,
                cliques: Some(cliques),
            }
        }
        Method::Lcp => {
            let opts = LcpOptions {
                start_label: args.start_label.map(|l| l - 1),
                stop_after: args.stop_after,
                max_depth: args.max_depth,
                max_pivots: None,
            };
            Solved {
                equilibria: lcp::<T>(game, &opts)?,
                value: None,
                cliques: None,
            }
        }
        Method::Lp => {
            let r = lp::<T>(game)?;
            Solved {
                equilibria: vec![r.equilibrium],
                value: Some(r.value),
                cliques: None,
            }
        }
        numeric => {
            use detente_solve::{enumpoly, gnm, ipa, liap, logit, simpdiv};
            let r = match numeric {
                Method::Simpdiv => simpdiv::simpdiv(game, &simpdiv::SimpdivOptions::default())?,
                Method::Gnm => gnm::gnm(game, &gnm::GnmOptions::default())?,
                Method::Ipa => ipa::ipa(game, &ipa::IpaOptions::default())?,
                Method::Logit => logit::logit(game, &logit::LogitOptions::default())?,
                Method::Liap => liap::liap(game, &liap::LiapOptions::default())?,
                _ => enumpoly::enumpoly(game, &enumpoly::EnumpolyOptions::default())?,
            };
            for note in &r.notes {
                let prefix = format!("{}: ", numeric.name());
                eprintln!(
                    "detente: {prefix}{}",
                    note.strip_prefix(&prefix).unwrap_or(note)
                );
            }
            if r.budget_exhausted {
                eprintln!(
                    "detente: {}: the budget ran out; the equilibria printed are verified, but the search did not finish",
                    numeric.name()
                );
            }
            if !r.nonisolated.is_empty() {
                eprintln!(
                    "detente: {}: {} equilibria lie in continua (not isolated); one point of each is printed after the isolated ones",
                    numeric.name(),
                    r.nonisolated.len()
                );
            }
            if r.equilibria.is_empty() && r.nonisolated.is_empty() {
                eprintln!("detente: {}: no verified equilibrium found", numeric.name());
            }
            let mut all = r.equilibria;
            all.extend(r.nonisolated);
            // Numeric methods run in f64 (`run` forces it for them).
            let boxed: Box<dyn std::any::Any> = Box::new(all);
            let equilibria = boxed.downcast::<Vec<Equilibrium<T>>>().map_err(|_| {
                SolveError::NotApplicable(format!(
                    "{} computes in floating point only",
                    numeric.name()
                ))
            })?;
            Solved {
                equilibria: *equilibria,
                value: None,
                cliques: None,
            }
        }
    })
}

/// A profile of the reduced game as a profile of the full game.
fn expand<T: Scalar>(profile: &[Vec<T>], kept: &[Vec<usize>], shape: &[usize]) -> Vec<Vec<T>> {
    profile
        .iter()
        .zip(kept)
        .zip(shape)
        .map(|((probs, ks), &k)| {
            let mut full = vec![T::zero(); k];
            for (p, &s) in probs.iter().zip(ks) {
                full[s] = p.clone();
            }
            full
        })
        .collect()
}

fn text_output<T: OutNum>(solved: &Solved<T>) -> String {
    let mut out = String::new();
    for e in &solved.equilibria {
        out.push_str("NE");
        for p in &e.profile {
            for v in p {
                out.push(',');
                out.push_str(&v.to_text());
            }
        }
        out.push('\n');
    }
    out
}

/// Quotes a CSV field when needed (RFC 4180).
pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_output<T: OutNum>(game: &NormalFormGame, solved: &Solved<T>) -> String {
    let mut out = String::from("equilibrium,player,strategy,probability\n");
    for (k, e) in solved.equilibria.iter().enumerate() {
        for (p, probs) in e.profile.iter().enumerate() {
            for (s, v) in probs.iter().enumerate() {
                out.push_str(&format!(
                    "{},{},{},{}\n",
                    k + 1,
                    csv_field(&game.players()[p]),
                    csv_field(&game.strategies()[p][s]),
                    v.to_text()
                ));
            }
        }
    }
    out
}

fn json_output<T: OutNum>(
    game: &NormalFormGame,
    method: Method,
    solved: &Solved<T>,
    reduction: Option<&Reduction>,
) -> Value {
    let eqs: Vec<Value> = solved
        .equilibria
        .iter()
        .map(|e| {
            let regret = max_regret(game, &e.profile);
            json!({
                "profile": e.profile.iter().map(|p| p.iter().map(OutNum::to_json).collect::<Vec<_>>()).collect::<Vec<_>>(),
                "payoffs": e.payoffs.iter().map(OutNum::to_json).collect::<Vec<_>>(),
                "max_regret": regret.to_json(),
                "verified": true,
            })
        })
        .collect();
    let mut obj = json!({
        "method": method.name(),
        "arithmetic": T::ARITHMETIC,
        "players": game.players(),
        "strategies": game.strategies(),
        "equilibria": eqs,
    });
    if let Some(v) = &solved.value {
        obj["value"] = v.to_json();
    }
    if let Some(c) = &solved.cliques {
        obj["cliques"] = json!(c);
    }
    if let Some(r) = reduction {
        obj["eliminated"] = eliminated_json(game, r);
    }
    obj
}

/// The elimination steps as JSON (1-based indices, labels).
pub(crate) fn eliminated_json(game: &NormalFormGame, r: &Reduction) -> Value {
    Value::Array(
        r.steps
            .iter()
            .map(|s| {
                let label = |t: usize| game.strategies()[s.player][t].clone();
                let by = match &s.by {
                    Dominator::Pure(t) => json!({"strategy": t + 1, "label": label(*t)}),
                    Dominator::Mixed(mix) => json!({
                        "mixture": mix.iter().map(|(t, w)| json!({
                            "strategy": t + 1,
                            "label": label(*t),
                            "probability": format_rational(w),
                        })).collect::<Vec<_>>()
                    }),
                };
                json!({
                    "round": s.round,
                    "player": s.player + 1,
                    "player_label": game.players()[s.player],
                    "strategy": s.strategy + 1,
                    "label": label(s.strategy),
                    "dominated_by": by,
                })
            })
            .collect(),
    )
}

/// One elimination step in words.
pub(crate) fn describe_step(game: &NormalFormGame, s: &detente_solve::EliminationStep) -> String {
    let name = |t: usize| {
        let label = &game.strategies()[s.player][t];
        if *label == (t + 1).to_string() {
            format!("{}", t + 1)
        } else {
            format!("{} \"{}\"", t + 1, label)
        }
    };
    let by = match &s.by {
        Dominator::Pure(t) => format!("strategy {}", name(*t)),
        Dominator::Mixed(mix) => format!(
            "the mixture {}",
            mix.iter()
                .map(|(t, w)| format!("{} on {}", format_rational(w), name(*t)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let player = &game.players()[s.player];
    format!(
        "round {}: player {} \"{}\": strategy {} is strictly dominated by {}",
        s.round,
        s.player + 1,
        player,
        name(s.strategy),
        by
    )
}
