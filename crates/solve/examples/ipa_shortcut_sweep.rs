//! Compares ipa's shortcut ([`IpaOptions::shortcut`]) with Gametracer's
//! full rounds on seeded random games: the sweep behind the tables of
//! `bench/nplayer/README.md` ("ipa (tenth session)" and "ipa, eleventh
//! session").
//!
//! `cargo run --release -p detente-solve --example ipa_shortcut_sweep [SEEDS]`
//! runs shapes 2×2×2, 3×3×3, 4×4×4, 5×5×5, 4×3×2, 3×3×3×3 and 2×2×2×2×2,
//! `SEEDS` games each (default 300), once with payoffs 0..99 and once with
//! payoffs in {0, 1, 2} (ties everywhere), with and without the shortcut
//! (5,000 rounds at most, no restarts), and prints, per payoff kind, the
//! games whose answers differ by more than 1e-6, the runs the shortcut
//! ended, and the rounds spent (over the games whose full run took under
//! 1,000 rounds). Each differing game is listed on standard error.

use detente_game::{NormalFormGame, Rational};
use detente_solve::budget::Budget;
use detente_solve::ipa::{ipa_traced, IpaOptions};
use detente_solve::nplayer_util::{NplayerResult, SplitMix64};
use num_bigint::BigInt;
use std::process::ExitCode;

fn random_game(shape: &[usize], seed: u64, modulo: u64) -> Option<NormalFormGame> {
    let mut rng = SplitMix64::new(seed);
    let cells: usize = shape.iter().product();
    let tables: Vec<Vec<Rational>> = (0..shape.len())
        .map(|_| {
            (0..cells)
                .map(|_| Rational::from_integer(BigInt::from(rng.next_u64() % modulo)))
                .collect()
        })
        .collect();
    NormalFormGame::from_tables(shape, &tables).ok()
}

fn flat(r: &NplayerResult) -> Vec<Vec<f64>> {
    r.equilibria
        .iter()
        .map(|e| e.profile.iter().flatten().cloned().collect())
        .collect()
}

fn main() -> ExitCode {
    let seeds: u64 = match std::env::args().nth(1).map(|s| s.parse()) {
        None => 300,
        Some(Ok(v)) => v,
        Some(Err(_)) => {
            eprintln!("ipa_shortcut_sweep: SEEDS must be a whole number");
            return ExitCode::from(2);
        }
    };
    let shapes: &[&[usize]] = &[
        &[2, 2, 2],
        &[3, 3, 3],
        &[4, 4, 4],
        &[5, 5, 5],
        &[4, 3, 2],
        &[3, 3, 3, 3],
        &[2, 2, 2, 2, 2],
    ];
    let opts = |shortcut| IpaOptions {
        budget: Budget::new(5_000, None),
        max_rounds: 5_000,
        restarts: 0,
        shortcut,
        ..IpaOptions::default()
    };
    for modulo in [100u64, 3] {
        let (mut games, mut differ, mut hits, mut rounds_on, mut rounds_off) = (0, 0, 0, 0, 0);
        for shape in shapes {
            for seed in 0..seeds {
                let Some(g) = random_game(shape, 7000 + seed, modulo) else {
                    continue;
                };
                let (Ok((on, t_on)), Ok((off, t_off))) =
                    (ipa_traced(&g, &opts(true)), ipa_traced(&g, &opts(false)))
                else {
                    continue;
                };
                games += 1;
                hits += t_on.shortcut_hits;
                if t_off.rounds < 1000 {
                    rounds_on += t_on.rounds;
                    rounds_off += t_off.rounds;
                }
                let (a, b) = (flat(&on), flat(&off));
                let same = a.len() == b.len()
                    && a.iter()
                        .zip(&b)
                        .all(|(x, y)| x.iter().zip(y).all(|(u, v)| (u - v).abs() <= 1e-6));
                if !same {
                    differ += 1;
                    eprintln!(
                        "payoffs 0..{} {shape:?} seed {seed}: shortcut {a:?} ({} rounds), full rounds {b:?} ({} rounds)",
                        modulo - 1,
                        t_on.rounds,
                        t_off.rounds
                    );
                }
            }
        }
        println!(
            "payoffs 0..{}: {games} games, {differ} answers differ, shortcut ended {hits} runs, {rounds_on} rounds instead of {rounds_off}",
            modulo - 1
        );
    }
    ExitCode::SUCCESS
}
