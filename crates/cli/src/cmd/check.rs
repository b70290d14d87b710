//! `detente check`: is a given profile a Nash equilibrium of a game, and,
//! on a tree, is it subgame perfect?
//!
//! The profile comes from anywhere: Gambit's output (`NE,1/2,1/2,...`, the
//! leading `NE` ignored), Detente's JSON profile (`[[...], [...]]`, numbers
//! or exact fractions as strings), or typed by hand, in Gambit's order:
//! player by player, strategy by strategy for a strategic form (a `.nfg`,
//! or a tree's reduced strategic form with `--strategic`), and information
//! set by information set, action by action for a tree's behaviour
//! strategies. Every number is read exactly (`0.1` is 1/10). When they are
//! all integers or fractions, the check is exact: regret exactly zero. When
//! one is a decimal (as Gambit prints its floating-point answers), each
//! distribution is normalised if its sum is within 1e-6 of 1, the regrets
//! are still computed exactly, and a regret of at most `--tol` of the
//! payoff range counts as none.
//!
//! A tree's profile is checked in behaviour strategies: each player's Nash
//! regret (the best response over all behaviour strategies, perfect recall
//! needed), then the same in every proper subgame; the first subgame where
//! some player gains by deviating is named. A set that its own player's
//! earlier choices never reach may be left empty (all zeros), as Gambit
//! prints sequence-form answers: no deviation of another player reaches it
//! (perfect recall), so the Nash check does not depend on it; subgame
//! perfection does, and is then left undecided.
//!
//! A tree with imperfect recall is checked in its agent form: each
//! player's largest gain from changing the play at one information set,
//! everything else kept ("equilibrium of the agent form"); Nash regret in
//! behaviour strategies is not checked there (`--strategic` checks a
//! profile of the reduced strategic form).

use super::solve::Form;
use crate::UsageError;
use anyhow::{anyhow, Result};
use clap::{Args, ValueEnum};
use detente_game::{format_rational, parse_profile_text, ExtensiveGame, Game, NodeKind, Rational};
use detente_solve::behavior::{agent_regrets, expected_payoffs, nash_regrets, reached_by_own_play};
use detente_solve::subgame::subgame_regrets;
use detente_solve::verify::{regrets_from_values, strategy_values};
use num_traits::{One, Signed, ToPrimitive, Zero};
use serde_json::{json, Value};

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Game file (Gambit .nfg or .efg), or - for standard input
    pub file: String,
    /// The profile: numbers separated by commas or spaces (fractions such as
    /// 1/3 and decimals such as 0.5 are read exactly), in Gambit's order:
    /// player by player, then strategy by strategy (a .nfg, or a tree with
    /// --strategic) or information set by information set and action by
    /// action (a tree); a leading "NE," as Gambit prints it is ignored.
    /// Detente's JSON profile ([[...], ...]) is accepted too
    #[arg(long, allow_hyphen_values = true)]
    pub profile: String,
    /// Trees (.efg): the profile is a mixed profile of the reduced strategic
    /// form (as `detente solve --strategic` prints it), not behaviour
    /// strategies
    #[arg(long)]
    pub strategic: bool,
    /// For profiles given in decimals: the largest regret that counts as
    /// none, as a fraction of the payoff range [default: 1e-6]. Profiles
    /// of integers and fractions are checked exactly
    #[arg(long, value_name = "FRACTION")]
    pub tol: Option<f64>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Exit with status 3 (after the report) when the profile is not a
    /// Nash equilibrium (on a tree with imperfect recall: not an
    /// equilibrium of the agent form) or, on a tree, is one but not
    /// subgame perfect; status 0 when it passes (or subgame perfection is
    /// not decided)
    #[arg(long)]
    pub exit_code: bool,
}

/// The distributions read, the notes on them, and the indices of those
/// left empty.
type Distributions = (Vec<Vec<Rational>>, Vec<String>, Vec<usize>);

/// Splits the flat numbers into distributions of the given sizes (named
/// for messages), checks each, and normalises decimal ones whose sum is
/// within 1e-6 of 1. With `allow_empty` (a tree's information sets), an all-zero
/// distribution is kept as it is (the caller decides whether the set may
/// be left empty) and its index returned.
fn distributions(
    flat: Vec<Rational>,
    decimal: bool,
    blocks: &[(String, usize)],
    order: &str,
    allow_empty: bool,
) -> Result<Distributions, UsageError> {
    let need: usize = blocks.iter().map(|b| b.1).sum();
    if flat.len() != need {
        return Err(UsageError(format!(
            "--profile has {} numbers; this game needs {need} ({order})",
            flat.len()
        )));
    }
    let mut notes = Vec::new();
    let mut empty = Vec::new();
    let mut out = Vec::with_capacity(blocks.len());
    let mut it = flat.into_iter();
    let near = Rational::new(1.into(), 1_000_000.into());
    for (name, size) in blocks {
        let mut d: Vec<Rational> = it.by_ref().take(*size).collect();
        if let Some(x) = d.iter().find(|x| x.is_negative()) {
            return Err(UsageError(format!(
                "--profile: {name} has a negative probability ({})",
                format_rational(x)
            )));
        }
        let sum: Rational = d.iter().sum();
        if sum.is_zero() && allow_empty {
            empty.push(out.len());
            out.push(d);
            continue;
        }
        if !sum.is_one() {
            if !decimal || (&sum - Rational::one()).abs() > near || sum.is_zero() {
                return Err(UsageError(format!(
                    "--profile: the probabilities of {name} sum to {}, not 1",
                    format_rational(&sum)
                )));
            }
            // Said only beyond the rounding of printed floats.
            let tiny = Rational::new(1.into(), 1_000_000_000_000i64.into());
            if (&sum - Rational::one()).abs() > tiny {
                notes.push(format!(
                    "the probabilities of {name} summed to {}; divided by their sum",
                    sum.to_f64().unwrap_or(f64::NAN)
                ));
            }
            for x in &mut d {
                *x = &*x / &sum;
            }
        }
        out.push(d);
    }
    Ok((out, notes, empty))
}

/// The first proper subgame where some player gains by deviating.
struct Failing {
    /// Root node, in the file's (prefix) order from 0.
    node: usize,
    label: String,
    /// Where the subgame starts, in words.
    place: String,
    player: usize,
    regret: Rational,
}

/// What the check found.
struct Report {
    form: Form,
    exact: bool,
    /// Absolute tolerance on regrets (0 when exact).
    tol: f64,
    players: Vec<String>,
    payoffs: Vec<Rational>,
    regrets: Vec<Rational>,
    /// Trees in behaviour strategies: proper subgames checked and the
    /// first one failing.
    subgames: Option<(usize, Option<Failing>)>,
    /// A tree's profile left some information sets empty: subgame
    /// perfection is not decided.
    spe_undecided: bool,
    /// A tree with imperfect recall: `regrets` are agent-form regrets
    /// (each player's largest gain from changing the play at one
    /// information set), and Nash regret is not checked.
    agent_only: bool,
    notes: Vec<String>,
}

impl Report {
    /// A number as printed: exact fractions for an exact check, decimals
    /// (the nearest `f64`) when the profile was given in decimals.
    fn show(&self, x: &Rational) -> String {
        if self.exact {
            format_rational(x)
        } else {
            let v = x.to_f64().unwrap_or(f64::NAN);
            if v != 0.0 && v.abs() < 1e-4 {
                format!("{v:.3e}")
            } else {
                format!("{v}")
            }
        }
    }

    fn json(&self, x: &Rational) -> Value {
        if self.exact {
            Value::String(format_rational(x))
        } else {
            super::solve::f64_json(x.to_f64().unwrap_or(f64::NAN))
        }
    }

    fn within(&self, r: &Rational) -> bool {
        if self.exact {
            r.is_zero()
        } else {
            r.to_f64().is_some_and(|x| x <= self.tol)
        }
    }

    /// No player gains: a Nash equilibrium or, with [`Self::agent_only`],
    /// an equilibrium of the agent form.
    fn nash(&self) -> bool {
        self.regrets.iter().all(|r| self.within(r))
    }
}

pub fn run(args: CheckArgs) -> Result<()> {
    if let Some(t) = args.tol {
        if !(t >= 0.0 && t.is_finite()) {
            return Err(UsageError("--tol must be a nonnegative number".into()).into());
        }
    }
    let (flat, decimal) =
        parse_profile_text(&args.profile).map_err(|e| UsageError(format!("--profile: {e}")))?;
    let game = detente_game::read_game_file(&args.file).map_err(|e| anyhow!("{e}"))?;
    let rel_tol = if decimal {
        args.tol.unwrap_or(1e-6)
    } else {
        0.0
    };
    let report = match (&game, args.strategic) {
        (Game::Extensive(t), false) => check_tree(t, flat, decimal, rel_tol)?,
        _ => {
            let nf = game
                .to_normal_form()
                .map_err(|e| anyhow!("{}: {e}", args.file))?;
            check_strategic(&nf, Form::strategic_of(&game), flat, decimal, rel_tol)?
        }
    };
    match args.format {
        CheckFormat::Json => print_json(&args.file, &report),
        CheckFormat::Text => print_text(&args.file, &report),
    }?;
    if args.exit_code && !report.passes() {
        return Err(crate::CheckFailed.into());
    }
    Ok(())
}

fn check_strategic(
    nf: &detente_game::NormalFormGame,
    form: Form,
    flat: Vec<Rational>,
    decimal: bool,
    rel_tol: f64,
) -> Result<Report> {
    let blocks: Vec<(String, usize)> = nf
        .players()
        .iter()
        .zip(nf.shape())
        .enumerate()
        .map(|(p, (name, k))| (player_name(p, name), k))
        .collect();
    let order = format!(
        "{} strategies per player, player by player",
        nf.shape()
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (profile, notes, _) = distributions(flat, decimal, &blocks, &order, false)?;
    let values = strategy_values(nf, &profile);
    let payoffs = values
        .iter()
        .zip(&profile)
        .map(|(v, x)| v.iter().zip(x).map(|(a, b)| a * b).sum())
        .collect();
    Ok(Report {
        form,
        exact: !decimal,
        tol: rel_tol * nf.payoff_range_f64().2.max(f64::MIN_POSITIVE),
        players: nf.players().to_vec(),
        payoffs,
        regrets: regrets_from_values(&values, &profile),
        subgames: None,
        spe_undecided: false,
        agent_only: false,
        notes,
    })
}

fn check_tree(
    t: &ExtensiveGame,
    flat: Vec<Rational>,
    decimal: bool,
    rel_tol: f64,
) -> Result<Report> {
    let per_player = super::info::infosets_and_actions(t);
    // One block per information set, and where it is: (player, local
    // index, global index).
    let mut blocks = Vec::new();
    let mut places = Vec::new();
    for p in 0..t.num_players() {
        for (k, &s) in t.player_infosets(p).iter().enumerate() {
            places.push((p, k, s));
            let set = t.infoset(s);
            let label = if set.label().is_empty() {
                String::new()
            } else {
                format!(" ({:?})", set.label())
            };
            blocks.push((
                format!(
                    "{}, information set {}{label}",
                    player_name(p, &t.players()[p]),
                    k + 1
                ),
                set.num_actions(),
            ));
        }
    }
    let order = format!(
        "behaviour strategies: one probability per action, information set by information set, player by player ({}); --strategic takes a profile of the reduced strategic form",
        per_player
            .iter()
            .enumerate()
            .map(|(p, &(sets, actions))| format!(
                "player {}: {sets} set{}, {actions} actions",
                p + 1,
                if sets == 1 { "" } else { "s" },
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let (dists, mut notes, empty) = distributions(flat, decimal, &blocks, &order, true)?;
    let mut it = dists.into_iter();
    let mut profile: Vec<Vec<Vec<Rational>>> = per_player
        .iter()
        .map(|&(sets, _)| it.by_ref().take(sets).collect())
        .collect();
    // Sets left empty (all zeros): allowed where the player's own play
    // never reaches them; filled with the first action for the check.
    let reached = reached_by_own_play(t, &profile);
    for &i in &empty {
        let (p, k, s) = places[i];
        let name = &blocks[i].0;
        if reached[s] {
            return Err(UsageError(format!(
                "--profile: the probabilities of {name} are all zero, but the player's own play reaches it"
            ))
            .into());
        }
        notes.push(format!(
            "{name} is left empty (all zeros), as Gambit prints sets that the player's own play never reaches; the Nash check does not depend on it, subgame perfection does and is not decided"
        ));
        profile[p][k][0] = Rational::one();
    }
    let fail = |e: detente_solve::SolveError| anyhow!("{e}");
    let (lo, hi) = t.payoff_range();
    let range = (hi - lo).to_f64().unwrap_or(0.0).max(f64::MIN_POSITIVE);
    // With imperfect recall, best responses in behaviour strategies are
    // not found set by set here; the agent form's regrets are, exactly
    // (each player's largest gain at one information set). An empty set
    // could then be reached by another set's deviation, so every set needs
    // its distribution.
    let agent_only = !t.is_perfect_recall();
    if agent_only {
        if let Some(&i) = empty.first() {
            return Err(UsageError(format!(
                "--profile: the probabilities of {} are all zero; on a tree with imperfect recall every information set needs a distribution",
                blocks[i].0
            ))
            .into());
        }
        notes.push(
            "this tree has imperfect recall: the regrets are the agent form's (the most a player gains by changing the play at one information set, everything else kept); Nash regret in behaviour strategies is not checked (a profile of the reduced strategic form can be, with --strategic)".into(),
        );
    }
    let regrets = if agent_only {
        agent_regrets(t, &profile)
            .map_err(fail)?
            .into_iter()
            .map(|sets| sets.into_iter().fold(Rational::zero(), |m, x| m.max(x)))
            .collect()
    } else {
        nash_regrets(t, &profile).map_err(fail)?
    };
    let mut report = Report {
        form: Form::Agent,
        exact: !decimal,
        tol: rel_tol * range,
        players: t.players().to_vec(),
        payoffs: expected_payoffs(t, &profile),
        regrets,
        subgames: None,
        spe_undecided: !empty.is_empty(),
        agent_only,
        notes,
    };
    if agent_only || !empty.is_empty() {
        return Ok(report);
    }
    let per_subgame = subgame_regrets(t, &profile).map_err(fail)?;
    let checked = per_subgame.len();
    let mut failing = None;
    for (r, regs) in per_subgame {
        if let Some((p, x)) = regs
            .into_iter()
            .enumerate()
            .find(|(_, x)| !report.within(x))
        {
            failing = Some(Failing {
                node: r,
                label: t.node(r).label().to_string(),
                place: describe_node(t, r),
                player: p,
                regret: x,
            });
            break;
        }
    }
    report.subgames = Some((checked, failing));
    Ok(report)
}

/// A node in words: its number in the file's order (from 1), its label,
/// and who moves there.
fn describe_node(t: &ExtensiveGame, r: usize) -> String {
    let mut s = format!("node {} of the file", r + 1);
    let label = t.node(r).label();
    if !label.is_empty() {
        s.push_str(&format!(" ({label:?})"));
    }
    match (t.node_kind(r), t.node(r).infoset()) {
        (NodeKind::Personal(p), Some(set)) => {
            let k = t.player_infosets(p).iter().position(|&x| x == set);
            let set_label = t.infoset(set).label();
            s.push_str(&format!(
                ", where {} moves at information set {}{}",
                player_name(p, &t.players()[p]),
                k.map_or(0, |k| k + 1),
                if set_label.is_empty() {
                    String::new()
                } else {
                    format!(" ({set_label:?})")
                }
            ));
        }
        (NodeKind::Chance, _) => s.push_str(", a chance move"),
        _ => {}
    }
    s
}

fn player_name(p: usize, name: &str) -> String {
    if name.is_empty() {
        format!("player {}", p + 1)
    } else {
        format!("player {} ({name:?})", p + 1)
    }
}

fn print_text(file: &str, r: &Report) -> Result<()> {
    let mut out = format!("file: {file} ({})\n", r.form_name());
    out.push_str(&if r.exact {
        "checked exactly (the profile is given in integers and fractions)\n".to_string()
    } else {
        format!(
            "checked in exact arithmetic on the decimals given; a regret of at most {:.3e} (the tolerance times the payoff range) counts as none\n",
            r.tol
        )
    });
    for n in &r.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    let regret = if r.agent_only {
        "agent regret"
    } else {
        "regret"
    };
    for (p, name) in r.players.iter().enumerate() {
        out.push_str(&format!(
            "{}: payoff {}, {regret} {}\n",
            player_name(p, name),
            r.show(&r.payoffs[p]),
            r.show(&r.regrets[p])
        ));
    }
    let nash = r.nash();
    let yes_no = if nash { "yes" } else { "no" };
    if r.agent_only {
        out.push_str(&format!(
            "equilibrium of the agent form: {yes_no}\nNash equilibrium: not checked (imperfect recall)\n"
        ));
    } else {
        out.push_str(&format!("Nash equilibrium: {yes_no}\n"));
    }
    if r.spe_undecided {
        out.push_str("subgame perfect: not decided (the profile leaves information sets empty; see the notes)\n");
    }
    if let Some((n, failing)) = &r.subgames {
        out.push_str(&match (nash, failing) {
            (false, _) => {
                "subgame perfect: no (not a Nash equilibrium of the whole game)\n".to_string()
            }
            (true, None) if *n == 0 => {
                "subgame perfect: yes (the game has no proper subgame)\n".to_string()
            }
            (true, None) => format!(
                "subgame perfect: yes ({n} proper subgame{} checked)\n",
                if *n == 1 { "" } else { "s" }
            ),
            (true, Some(f)) => format!(
                "subgame perfect: no: in the subgame at {}, {} gains {} by deviating\n",
                f.place,
                player_name(f.player, &r.players[f.player]),
                r.show(&f.regret)
            ),
        });
    }
    super::emit(&out)
}

impl Report {
    /// A Nash equilibrium and, where subgames were checked, subgame
    /// perfect.
    fn passes(&self) -> bool {
        self.nash() && !matches!(&self.subgames, Some((_, Some(_))))
    }

    fn form_name(&self) -> &'static str {
        match self.form {
            Form::Agent => "behaviour strategies",
            f => f.name(),
        }
    }
}

fn print_json(file: &str, r: &Report) -> Result<()> {
    let q = |x: &Rational| r.json(x);
    let nash = r.nash();
    let mut v = json!({
        "file": file,
        "form": r.form_name(),
        "exact": r.exact,
        "tolerance": if r.exact { Value::Null } else { json!(r.tol) },
        "players": r.players,
        "payoffs": r.payoffs.iter().map(q).collect::<Vec<_>>(),
        "regrets": r.regrets.iter().map(q).collect::<Vec<_>>(),
        "nash": nash,
        "notes": r.notes,
    });
    if r.agent_only {
        // The regrets are the agent form's; Nash is not checked.
        v["nash"] = Value::Null;
        v["agent_equilibrium"] = json!(nash);
        v["regret_kind"] = json!("agent");
    }
    if r.spe_undecided {
        v["subgame_perfect"] = Value::Null;
    }
    if let Some((n, failing)) = &r.subgames {
        v["subgames_checked"] = json!(n);
        v["subgame_perfect"] = json!(nash && failing.is_none());
        v["failing_subgame"] = match failing {
            Some(f) if nash => json!({
                "node": f.node + 1,
                "label": f.label,
                "player": f.player + 1,
                "regret": q(&f.regret),
            }),
            _ => Value::Null,
        };
    }
    let s = serde_json::to_string_pretty(&v)?;
    super::emit(&format!("{s}\n"))
}
