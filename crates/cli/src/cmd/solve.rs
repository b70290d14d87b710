//! `detente solve FILE`: Nash equilibria of a game file (`.nfg`; `.efg` in
//! behaviour strategies or on its reduced strategic form).
//!
//! Every equilibrium is verified independently
//! ([`detente_solve::verify::verify_equilibrium`]) before it is printed; a
//! profile that fails is an internal error (exit 1), never printed.
//!
//! Game trees (`.efg`) are solved in behaviour strategies where Gambit does
//! so: lcp/lp on the sequence form, spe by backward induction, logit and
//! liap on the agent form ([`super::solve_tree`]); the other methods, and
//! these with `--strategic`, on the reduced normal form. The output says
//! which form was used: a `# ...` first line in text, `"form"` in JSON.
//!
//! Output formats:
//! * `text` (default): one Gambit-style line per equilibrium,
//!   `NE,p11,p12,...,p21,...` (players, then strategies, in file order);
//!   for trees a first line `# reduced normal form: ...` or `# agent form: ...`;
//! * `logit --branch` / `--lambda X`: a table, one row per point of the
//!   principal branch: λ, then every probability (text: aligned columns;
//!   csv: header `lambda,player:strategy,...`; json: `"branch": [{"lambda",
//!   "profile"}]` or `"qre": {"lambda", "profile"}`);
//! * `json`: one object `{"method", "form", "arithmetic", "equilibria": [{"profile",
//!   "payoffs", "max_regret", "verified"}], ...}` with exact numbers as
//!   strings (`"1/3"`) or, with `--float`, JSON numbers; `lp` adds
//!   `"value"`, `enummixed` adds `"cliques"` (indices into `equilibria` of
//!   each maximal convex set), `--eliminate-dominated` adds `"eliminated"`;
//!   `"complete"` says whether the method's search finished (false after a
//!   budget, a limit or Ctrl-C, with the reason in `"stopped"`: the
//!   equilibria printed are verified either way);
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

/// Where simpdiv starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Start {
    /// Every player's first strategy (gambit-simpdiv's default)
    First,
    /// The uniform mixture for every player (pygambit's documented start)
    Centroid,
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
    /// Stop after this many equilibria. On a tree, lcp (sequence form)
    /// with N > 1 looks for more equilibria by restarting Lemke's algorithm
    /// from extra starting vectors: a heuristic, not a complete search;
    /// other equilibria may exist (--strategic --method enummixed finds all
    /// extreme equilibria of the reduced normal form)
    #[arg(long)]
    pub stop_after: Option<usize>,
    /// lcp only: maximum depth of the recursive search (0 = unlimited)
    #[arg(long)]
    pub max_depth: Option<usize>,
    /// Game trees (.efg): solve on the reduced strategic form instead of
    /// in behaviour strategies (lcp, lp: sequence form; logit, liap: agent
    /// form, each information set an agent, as Gambit does by default)
    #[arg(long)]
    pub strategic: bool,
    /// Iterative methods (simpdiv, gnm, ipa, logit, liap, enumpoly) and
    /// enummixed: wall-clock limit in seconds; the method says when it ran
    /// out and prints the verified equilibria found so far [default: 30;
    /// enummixed: none]
    #[arg(long, value_name = "SECONDS")]
    pub max_time: Option<f64>,
    /// Iterative methods: most basic steps (simpdiv: labelled points; gnm, logit:
    /// path steps; ipa: iterations; liap: descent steps; enumpoly:
    /// supports and boxes); the method says when it ran out
    /// [default: 1000000]
    #[arg(long, value_name = "N")]
    pub max_steps: Option<u64>,
    /// liap, simpdiv: seeded random starts besides the first (liap: after
    /// the centroid, default 20, 0 = the centroid alone as Gambit; simpdiv:
    /// after --start, default 0)
    #[arg(long, value_name = "N")]
    pub random_starts: Option<usize>,
    /// liap, simpdiv: seed of the random starts (the same seed gives the
    /// same starts and answers) [default: 0]
    #[arg(long, value_name = "SEED")]
    pub seed: Option<u64>,
    /// ipa only: run Gametracer's rounds to its own convergence test (every
    /// iterate as Gambit computes it) instead of stopping as soon as
    /// Newton's method on the settled support gives a verified equilibrium
    #[arg(long)]
    pub gametracer_rounds: bool,
    /// simpdiv only: where the path starts [default: first]
    #[arg(long, value_enum)]
    pub start: Option<Start>,
    /// logit only: print the quantal-response equilibrium on the principal
    /// branch at this precision λ (in payoff units) instead of the Nash limit
    #[arg(long, value_name = "LAMBDA", conflicts_with = "branch")]
    pub lambda: Option<f64>,
    /// logit only: print the principal branch as a table, one row per point:
    /// λ and every strategy's (or action's) probability
    #[arg(long)]
    pub branch: bool,
    /// With --branch: trace up to this λ [default: until the branch is
    /// within 1e-8 × payoff range of a Nash equilibrium]
    #[arg(long, value_name = "LAMBDA", requires = "branch")]
    pub max_lambda: Option<f64>,
    /// With --branch: print at most this many rows, spread evenly in log λ
    /// (the first and last points always) [default: 40; 0 = every point]
    #[arg(long, value_name = "N", requires = "branch")]
    pub max_points: Option<usize>,
}

impl SolveArgs {
    /// The budget of the iterative methods.
    pub(crate) fn budget(&self) -> detente_solve::budget::Budget {
        let mut b = detente_solve::budget::Budget::default();
        if let Some(t) = self.max_time {
            b.max_time = Some(std::time::Duration::from_secs_f64(t));
        }
        if let Some(n) = self.max_steps {
            b.max_iterations = n;
        }
        b.watch = super::solve_progress::watch();
        b
    }

    /// liap's options: the budget, and the starts asked for.
    pub(crate) fn liap_options(&self) -> detente_solve::liap::LiapOptions {
        let d = detente_solve::liap::LiapOptions::default();
        detente_solve::liap::LiapOptions {
            budget: self.budget(),
            random_starts: self.random_starts.unwrap_or(d.random_starts),
            seed: self.seed.unwrap_or(d.seed),
            ..d
        }
    }

    /// simpdiv's options: the budget, the start and the random starts.
    pub(crate) fn simpdiv_options(&self) -> detente_solve::simpdiv::SimpdivOptions {
        use detente_solve::simpdiv::{SimpdivOptions, SimpdivStart};
        let d = SimpdivOptions::default();
        SimpdivOptions {
            budget: self.budget(),
            starts: vec![match self.start {
                Some(Start::Centroid) => SimpdivStart::Centroid,
                Some(Start::First) | None => SimpdivStart::FirstStrategies,
            }],
            random_starts: self.random_starts.unwrap_or(d.random_starts),
            seed: self.seed.unwrap_or(d.seed),
            ..d
        }
    }
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
    /// Why the method stopped before its search was complete (a budget,
    /// a limit, Ctrl-C); `None` when it finished.
    stopped: Option<String>,
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
    if args.strategic && args.method == Some(Method::Spe) {
        return Err(UsageError(
            "--strategic does not apply to --method spe: subgames are parts of the tree, not of its strategic form".into(),
        )
        .into());
    }
    if args.stop_after == Some(0) {
        return Err(UsageError("--stop-after must be at least 1".into()).into());
    }
    if let Some(t) = args.max_time {
        if !(t > 0.0 && t.is_finite() && t <= 1e9) {
            return Err(
                UsageError("--max-time must be a positive number of seconds".into()).into(),
            );
        }
    }
    if args.max_steps == Some(0) {
        return Err(UsageError("--max-steps must be at least 1".into()).into());
    }
    if (args.random_starts.is_some() || args.seed.is_some())
        && !matches!(args.method, Some(Method::Liap | Method::Simpdiv))
    {
        return Err(UsageError(
            "--random-starts and --seed apply to --method liap and simpdiv only".into(),
        )
        .into());
    }
    if args.gametracer_rounds && args.method != Some(Method::Ipa) {
        return Err(UsageError("--gametracer-rounds applies to --method ipa only".into()).into());
    }
    if args.start.is_some() && args.method != Some(Method::Simpdiv) {
        return Err(UsageError("--start applies to --method simpdiv only".into()).into());
    }
    if args.random_starts.is_some_and(|n| n > 1_000_000) {
        return Err(UsageError("--random-starts must be at most 1000000".into()).into());
    }
    if (args.lambda.is_some() || args.branch) && args.method != Some(Method::Logit) {
        return Err(UsageError("--lambda and --branch apply to --method logit only".into()).into());
    }
    if let Some(l) = args.lambda {
        if !(l >= 0.0 && l.is_finite()) {
            return Err(UsageError("--lambda must be a nonnegative number".into()).into());
        }
    }
    if let Some(l) = args.max_lambda {
        if !(l > 0.0 && l.is_finite()) {
            return Err(UsageError("--max-lambda must be a positive number".into()).into());
        }
    }
    let game = read_game_file(&args.file).map_err(|e| anyhow!("{e}"))?;
    if let Some(m) = args.method.filter(|m| m.is_numeric()) {
        super::solve_progress::start(m.name(), args.budget().max_time);
    }
    let result = solve_game(&args, game);
    super::solve_progress::finish();
    result
}

/// `run` once the game is read: the form to solve on, then the method.
fn solve_game(args: &SolveArgs, game: Game) -> Result<()> {
    // Trees are solved in behaviour strategies by the sequence-form and
    // subgame methods, and by logit and liap on the agent form, as Gambit
    // does, unless --strategic.
    if let Game::Extensive(tree) = &game {
        if matches!(args.method, Some(Method::Lcp | Method::Lp | Method::Spe)) && !args.strategic {
            return crate::cmd::solve_tree::run(args, tree);
        }
        if matches!(args.method, Some(Method::Logit | Method::Liap)) && !args.strategic {
            if args.method == Some(Method::Liap) || tree.is_perfect_recall() {
                return crate::cmd::solve_tree::run_agent(args, tree);
            }
            eprintln!("detente: logit: this tree has imperfect recall; the agent quantal-response equilibrium is traced for perfect recall only, so logit runs on the reduced normal form");
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
    let form = Form::strategic_of(&game);
    if args.method == Some(Method::Logit) && (args.lambda.is_some() || args.branch) {
        return logit_table(args, &nf, form);
    }
    if args.float || args.method.is_some_and(Method::is_numeric) {
        solve_and_print::<f64>(args, &nf, form)
    } else {
        solve_and_print::<Rational>(args, &nf, form)
    }
}

/// The form of the game a method ran on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// A strategic-form file.
    Normal,
    /// The reduced normal form of a tree.
    Reduced,
    /// The agent form of a tree (each information set an agent).
    Agent,
}

impl Form {
    /// The strategic form a game file is solved or checked on: its own, or
    /// a tree's reduced normal form.
    pub(crate) fn strategic_of(game: &Game) -> Form {
        match game {
            Game::Normal(_) => Form::Normal,
            Game::Extensive(_) => Form::Reduced,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Form::Normal => "normal form",
            Form::Reduced => "reduced normal form",
            Form::Agent => "agent form",
        }
    }

    /// The text-output header line (trees only, as Gambit states the form).
    pub(crate) fn header(self) -> Option<String> {
        match self {
            Form::Normal => None,
            Form::Reduced => Some(
                "# reduced normal form: one probability per reduced strategy of each player\n"
                    .to_string(),
            ),
            Form::Agent => Some(
                "# agent form: behaviour profile, probabilities per player, information set, action\n"
                    .to_string(),
            ),
        }
    }
}

/// Rows of a λ table printed by `--branch` (and `--lambda`, one row).
pub(crate) struct QreRow {
    pub lambda: f64,
    /// Probabilities in output order (players, then strategies or
    /// information sets and actions).
    pub probs: Vec<f64>,
    /// The same, nested as the JSON profile.
    pub profile: Value,
}

/// Keeps at most `max` rows, spread evenly in log(1 + λ); the first and last
/// always.
pub(crate) fn thin_rows(rows: Vec<QreRow>, max: usize) -> Vec<QreRow> {
    if max == 0 || rows.len() <= max || max < 2 {
        return rows;
    }
    let key = |r: &QreRow| (1.0 + r.lambda.max(0.0)).ln();
    let lo = key(&rows[0]);
    let hi = key(&rows[rows.len() - 1]);
    let mut keep = vec![false; rows.len()];
    keep[0] = true;
    let last = rows.len() - 1;
    keep[last] = true;
    let mut j = 0;
    for i in 1..max - 1 {
        let target = lo + (hi - lo) * i as f64 / (max - 1) as f64;
        while j + 1 < rows.len() && key(&rows[j + 1]) <= target {
            j += 1;
        }
        keep[j] = true;
    }
    rows.into_iter()
        .zip(keep)
        .filter_map(|(r, k)| k.then_some(r))
        .collect()
}

/// Prints a λ table: text (aligned columns), csv (wide), json.
pub(crate) fn print_qre_table(
    args: &SolveArgs,
    form: Form,
    columns: &[String],
    rows: &[QreRow],
    mut json_head: Value,
    end: Option<&str>,
) -> Result<()> {
    let out = match args.format {
        Format::Text => {
            let mut s = form.header().unwrap_or_default();
            if let Some(e) = end {
                s.push_str(&format!("# branch traced until: {e}\n"));
            }
            let width = columns.iter().map(|c| c.len()).max().unwrap_or(0).max(10);
            s.push_str(&format!("{:>14}", "lambda"));
            for c in columns {
                s.push_str(&format!(" {c:>width$}"));
            }
            s.push('\n');
            for r in rows {
                s.push_str(&format!("{:>14.6e}", r.lambda));
                for p in &r.probs {
                    s.push_str(&format!(" {p:>width$.8}"));
                }
                s.push('\n');
            }
            s
        }
        Format::Csv => {
            let mut s = String::from("lambda");
            for c in columns {
                s.push(',');
                s.push_str(&csv_field(c));
            }
            s.push('\n');
            for r in rows {
                s.push_str(&format!("{}", r.lambda));
                for p in &r.probs {
                    s.push_str(&format!(",{p}"));
                }
                s.push('\n');
            }
            s
        }
        Format::Json => {
            let points: Vec<Value> = rows
                .iter()
                .map(|r| json!({"lambda": f64_json(r.lambda), "profile": r.profile}))
                .collect();
            json_head["form"] = json!(form.name());
            if args.branch {
                json_head["branch"] = Value::Array(points);
                if let Some(e) = end {
                    json_head["end"] = json!(e);
                }
            } else if let Some(p) = points.into_iter().next() {
                json_head["qre"] = p;
            }
            let mut s = serde_json::to_string_pretty(&json_head).context("writing JSON")?;
            s.push('\n');
            s
        }
    };
    super::emit(&out)?;
    Ok(())
}

pub(crate) fn f64_json(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

/// `--method logit --lambda X` or `--branch` on a strategic game.
fn logit_table(args: &SolveArgs, game: &NormalFormGame, form: Form) -> Result<()> {
    use detente_solve::logit::{logit_at_lambda, logit_branch_to, LogitOptions};
    let opts = LogitOptions {
        budget: args.budget(),
        ..LogitOptions::default()
    };
    let fail = |e: SolveError| anyhow!("{}: logit: {e}", args.file);
    let row = |lambda: f64, p: Vec<Vec<f64>>| QreRow {
        lambda,
        probs: p.iter().flatten().cloned().collect(),
        profile: json!(p
            .iter()
            .map(|v| v.iter().map(|x| f64_json(*x)).collect::<Vec<_>>())
            .collect::<Vec<_>>()),
    };
    let mut bifurcations = Vec::new();
    let (rows, end) = if let Some(l) = args.lambda {
        let p = logit_at_lambda(game, l, &opts).map_err(fail)?;
        (vec![row(l, p)], None)
    } else {
        let b = logit_branch_to(game, args.max_lambda, &opts).map_err(fail)?;
        bifurcations.clone_from(&b.bifurcations);
        branch_budget_note(b.budget_exhausted);
        let rows = b
            .points
            .into_iter()
            .map(|p| row(p.lambda, p.profile))
            .collect();
        (
            thin_rows(rows, args.max_points.unwrap_or(40)),
            Some(branch_end(b.end, &b.bifurcations)),
        )
    };
    let columns: Vec<String> = game
        .players()
        .iter()
        .zip(game.strategies())
        .flat_map(|(p, ss)| ss.iter().map(move |s| format!("{p}:{s}")))
        .collect();
    let mut head = json!({
        "method": "logit",
        "arithmetic": "float",
        "players": game.players(),
        "strategies": game.strategies(),
    });
    if args.branch {
        head["bifurcations"] = json!(bifurcations);
    }
    print_qre_table(args, form, &columns, &rows, head, end.as_deref())
}

/// Why a logit branch table ends, and the bifurcation points it passed.
pub(crate) fn branch_end(end: String, bifurcations: &[f64]) -> String {
    match detente_solve::logit::bifurcation_note(bifurcations) {
        Some(note) => format!("{end}; {}", note.strip_prefix("logit: ").unwrap_or(&note)),
        None => end,
    }
}

fn solve_and_print<T: OutNum>(args: &SolveArgs, game: &NormalFormGame, form: Form) -> Result<()> {
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
    let mut solved = run_method::<T>(method, target, args).map_err(|e| {
        // Most solver messages already start with the method's name.
        let text = e.to_string();
        let prefix = format!("{}: ", method.name());
        let text = text.strip_prefix(&prefix).unwrap_or(&text);
        anyhow!("{}: {}: {text}", args.file, method.name())
    })?;
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
        Format::Text => {
            let mut t = form.header().unwrap_or_default();
            if let Some(why) = &solved.stopped {
                t.push_str(&format!(
                    "# incomplete: {why}; the equilibria below are verified, others may be missing\n"
                ));
            }
            t + &text_output(&solved)
        }
        Format::Csv => csv_output(game, &solved),
        Format::Json => {
            let mut v = json_output(game, method, &solved, reduction.as_ref());
            v["form"] = json!(form.name());
            let mut s = serde_json::to_string_pretty(&v).context("writing JSON")?;
            s.push('\n');
            s
        }
    };
    super::emit(&out)?;
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
            stopped: None,
        },
        Method::Enummixed => {
            let time_limit = args.max_time.map(std::time::Duration::from_secs_f64);
            // Ctrl-C and the spinner, as for the iterative methods: a stop
            // (or the time limit) prints the equilibria among the vertices
            // enumerated so far.
            super::solve_progress::start("enummixed", time_limit);
            let opts = EnumMixedOptions {
                time_limit,
                partial: true,
                watch: super::solve_progress::watch(),
                ..EnumMixedOptions::default()
            };
            let r = enummixed::<T>(game, &opts);
            super::solve_progress::finish();
            let r = r?;
            let stopped = r.stopped.as_deref().map(|why| {
                if super::solve_progress::interrupted() {
                    super::solve_progress::why_stopped().to_string()
                } else {
                    why.strip_prefix("enummixed: ").unwrap_or(why).to_string()
                }
            });
            match &stopped {
                Some(why) if r.equilibria.is_empty() => eprintln!(
                    "detente: enummixed: {why}; no equilibrium among the vertices enumerated so far (the enumeration did not finish)"
                ),
                Some(why) => eprintln!(
                    "detente: enummixed: {why}; the equilibria printed are verified extreme equilibria, but the enumeration did not finish: others may be missing, and the maximal Nash subsets are among those found"
                ),
                None => {}
            }
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
                stopped,
            }
        }
        Method::Lcp => {
            let opts = LcpOptions {
                start_label: args.start_label.map(|l| l - 1),
                stop_after: args.stop_after,
                max_depth: args.max_depth,
                max_pivots: None,
                max_memory: None,
            };
            Solved {
                equilibria: lcp::<T>(game, &opts)?,
                value: None,
                cliques: None,
                stopped: None,
            }
        }
        Method::Lp => {
            let r = lp::<T>(game)?;
            Solved {
                equilibria: vec![r.equilibrium],
                value: Some(r.value),
                cliques: None,
                stopped: None,
            }
        }
        numeric => {
            use detente_solve::{enumpoly, gnm, ipa, liap, logit, simpdiv};
            let budget = args.budget();
            let r = match numeric {
                Method::Simpdiv => simpdiv::simpdiv(game, &args.simpdiv_options())?,
                Method::Gnm => gnm::gnm(
                    game,
                    &gnm::GnmOptions {
                        budget,
                        ..Default::default()
                    },
                )?,
                Method::Ipa => ipa::ipa(
                    game,
                    &ipa::IpaOptions {
                        budget,
                        shortcut: !args.gametracer_rounds,
                        ..Default::default()
                    },
                )?,
                Method::Logit => logit::logit(
                    game,
                    &logit::LogitOptions {
                        budget,
                        ..Default::default()
                    },
                )?,
                Method::Liap => liap::liap(game, &args.liap_options())?,
                _ => enumpoly::enumpoly(
                    game,
                    &enumpoly::EnumpolyOptions {
                        budget,
                        ..Default::default()
                    },
                )?,
            };
            report_notes(
                numeric.name(),
                &r.notes,
                r.budget_exhausted,
                r.nonisolated.len(),
                r.equilibria.len() + r.nonisolated.len(),
            );
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
                stopped: r
                    .budget_exhausted
                    .then(|| super::solve_progress::why_stopped().to_string()),
            }
        }
    })
}

/// Clears the spinner and says why a traced logit branch ended early (the
/// budget, or Ctrl-C).
pub(crate) fn branch_budget_note(exhausted: bool) {
    super::solve_progress::finish();
    if exhausted {
        eprintln!(
            "detente: logit: {}; the branch is printed as far as it was traced",
            super::solve_progress::why_stopped()
        );
    }
}

/// Prints a numeric method's notes, budget and continua on standard error.
pub(crate) fn report_notes(
    name: &str,
    notes: &[String],
    budget_exhausted: bool,
    nonisolated: usize,
    found: usize,
) {
    let prefix = format!("{name}: ");
    for note in notes {
        eprintln!(
            "detente: {prefix}{}",
            note.strip_prefix(&prefix).unwrap_or(note)
        );
    }
    super::solve_progress::finish();
    if budget_exhausted {
        eprintln!(
            "detente: {name}: {}; the equilibria printed are verified, but the search did not finish",
            super::solve_progress::why_stopped()
        );
    }
    if nonisolated > 0 {
        eprintln!(
            "detente: {name}: {nonisolated} equilibria lie in continua (not isolated); one point of each is printed after the isolated ones"
        );
    }
    // Said once: some methods' own notes already say it.
    if found == 0 && !notes.iter().any(|n| n.contains("no verified equilibrium")) {
        eprintln!("detente: {name}: no verified equilibrium found");
    }
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
    // Whether the method's search finished; if not, why it stopped (the
    // equilibria printed are verified either way).
    obj["complete"] = json!(solved.stopped.is_none());
    if let Some(why) = &solved.stopped {
        obj["stopped"] = json!(why);
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
