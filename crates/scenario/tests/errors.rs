//! Bad scenario files: each gives one error naming file:line:col and, where
//! a name was mistyped, the nearest valid one. Never a panic.

use detente_scenario::parse_scenario;

const HEAD: &str = "[scenario]\nid = \"t\"\ntitle = \"t\"\n[actors.RUS]\nname = \"Russia\"\n[actors.USA]\nname = \"USA\"\n";

fn err(body: &str) -> String {
    let text = format!("{HEAD}{body}");
    match parse_scenario(&text, "bad.toml") {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_wrong_key_names_its_place_and_the_right_key() {
    let e = err("[bodies.c]\nname = \"c\"\nmembers = [\"RUS\"]\nqouta = 1\n");
    assert!(e.starts_with("bad.toml:"), "{e}");
    assert!(e.contains("unknown field `qouta`"), "{e}");
    assert!(e.contains("did you mean `quota`?"), "{e}");
    assert!(e.starts_with("bad.toml:11:1:"), "{e}");
}

#[test]
fn an_unknown_actor_is_located_with_a_suggestion() {
    let e = err("[bodies.c]\nname = \"c\"\nmembers = [\"RUS\", \"USB\"]\nquota = 1\n");
    assert_eq!(
        e,
        "bad.toml:10:19: unknown actor `USB`; did you mean `USA`?"
    );
}

#[test]
fn a_salience_of_140_is_refused() {
    let e = err("[issues.i]\nname = \"i\"\nstatus_quo = 50\nrule = { kind = \"unilateral\", decider = \"USA\" }\n[issues.i.positions]\nUSA = { position = 10, salience = 140 }\n");
    assert_eq!(e, "bad.toml:13:35: 140 is not a salience (0 to 100)");
}

#[test]
fn a_distribution_with_low_above_high_is_refused() {
    let e = err("[actors.X]\nname = \"x\"\ncapability = { uniform = [5, 1] }\n");
    assert_eq!(e, "bad.toml:10:14: uniform: low 5 is above high 1");
}

#[test]
fn a_cycle_in_policies_is_refused() {
    let e = err("[policies.a]\nname = \"a\"\nextends = [\"b\"]\n[policies.b]\nname = \"b\"\nextends = [\"a\"]\n");
    assert!(
        e.contains("policies extend each other in a cycle: a -> b -> a"),
        "{e}"
    );
    assert!(e.starts_with("bad.toml:13:12:"), "{e}");
}

#[test]
fn a_policy_setting_an_unknown_input_suggests_the_nearest() {
    let e = err("[issues.i]\nname = \"i\"\nstatus_quo = 50\nrule = { kind = \"unilateral\", decider = \"USA\" }\n[issues.i.positions]\nUSA = { position = 10, salience = 40 }\n[policies.p]\nname = \"p\"\nset = { \"issues.i.positions.USA.postion\" = 20 }\n");
    assert!(
        e.contains("did you mean `issues.i.positions.USA.position`?"),
        "{e}"
    );
}

#[test]
fn other_mistakes() {
    // Unknown rule kind.
    let e = err("[issues.i]\nname = \"i\"\nstatus_quo = 50\nrule = { kind = \"unilaterl\", decider = \"USA\" }\n[issues.i.positions]\nUSA = { position = 10, salience = 40 }\n");
    assert!(e.contains("did you mean `unilateral`?"), "{e}");
    // A key that the rule kind does not take.
    let e = err("[issues.i]\nname = \"i\"\nstatus_quo = 50\nrule = { kind = \"unilateral\", decider = \"USA\", body = \"x\" }\n[issues.i.positions]\nUSA = { position = 10, salience = 40 }\n");
    assert!(
        e.contains("takes `decider`, `floor`, `ceiling`, not `body`"),
        "{e}"
    );
    // Quota above the membership.
    let e = err("[bodies.c]\nname = \"c\"\nmembers = [\"RUS\"]\nquota = 3\n");
    assert!(
        e.contains("quota 3 is impossible for a body of 1 members"),
        "{e}"
    );
    // Source and judgment at once.
    let e = err(
        "[actors.X]\nname = \"x\"\ncapability = { value = 1, source = \"F1\", judgment = true }\n",
    );
    assert!(e.contains("either sourced"), "{e}");
    // Not TOML at all.
    let text = "this is not toml";
    let e = parse_scenario(text, "bad.toml").unwrap_err().to_string();
    assert!(e.starts_with("bad.toml:1:"), "{e}");
    // Missing scenario table.
    let e = parse_scenario("[actors.A]\nname = \"A\"\n", "bad.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("scenario"), "{e}");
}

#[test]
fn arbitrary_text_never_panics() {
    use proptest::prelude::*;
    proptest!(ProptestConfig::with_cases(300), |(s in ".{0,300}")| {
        let _ = parse_scenario(&s, "fuzz.toml");
    });
    // Mutations of the built-in scenario: every prefix parses or errors.
    let text = detente_scenario::builtin::BUILTIN;
    for cut in (0..text.len()).step_by(997) {
        if text.is_char_boundary(cut) {
            let _ = parse_scenario(&text[..cut], "cut.toml");
        }
    }
}

#[test]
fn games_from_files() {
    let dir = std::env::temp_dir().join(format!("detente-scn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("pd.nfg"),
        "NFG 1 R \"pd\" { \"RUS\" \"USA\" } { 2 2 }\n3 3 5 0 0 5 1 1\n",
    )
    .unwrap();
    let scn = dir.join("s.toml");
    let text = format!("{HEAD}[games.pd]\nname = \"dilemma\"\nfile = \"pd.nfg\"\n");
    std::fs::write(&scn, &text).unwrap();
    let s = parse_scenario(&text, scn.to_str().unwrap())
        .expect("the game file is found beside the scenario");
    assert_eq!(s.games[0].game.shape(), vec![2, 2]);
    let bad = format!("{HEAD}[games.pd]\nname = \"dilemma\"\nfile = \"missing.nfg\"\n");
    let e = parse_scenario(&bad, scn.to_str().unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("s.toml:10:8: game `pd`:") && e.contains("missing.nfg"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
