//! End-to-end tests of `detente power`, `detente bargain` and
//! `detente coalition` on the example files of `crates/coop/tests/data`.

use serde_json::Value;
use std::process::{Command, Output};

fn data(name: &str) -> String {
    format!("{}/../coop/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn detente(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(args)
        .output()
        .expect("run detente")
}

fn json_of(args: &[&str]) -> Value {
    let out = detente(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn stderr_of_failure(args: &[&str], code: i32) -> String {
    let out = detente(args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn power_of_a_quick_weighted_game() {
    let v = json_of(&[
        "power",
        "--game",
        "[51; 50, 49, 1]",
        "--exact",
        "--format",
        "json",
    ]);
    assert_eq!(v["players"], serde_json::json!(["P1", "P2", "P3"]));
    assert_eq!(
        v["shapley_shubik_exact"],
        serde_json::json!(["2/3", "1/6", "1/6"])
    );
    assert_eq!(
        v["banzhaf_normalized_exact"],
        serde_json::json!(["3/5", "1/5", "1/5"])
    );
    assert_eq!(
        v["banzhaf_absolute_exact"],
        serde_json::json!(["3/4", "1/4", "1/4"])
    );
    let ss = v["shapley_shubik"].as_array().unwrap();
    assert!((ss[0].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-15);
    // Without --exact there are no fraction keys.
    let v = json_of(&["power", "--game", "[51; 50, 49, 1]", "--format", "json"]);
    assert!(v.get("shapley_shubik_exact").is_none());
}

#[test]
fn security_council_power_and_the_2024_veto() {
    let v = json_of(&[
        "power",
        &data("unsc_2024.toml"),
        "--exact",
        "--format",
        "json",
    ]);
    assert_eq!(v["shapley_shubik_exact"][0], "421/2145");
    assert_eq!(v["shapley_shubik_exact"][14], "4/2145");
    let bz = v["banzhaf_normalized"][0].as_f64().unwrap();
    assert!((bz - 0.16693).abs() < 1e-5);
    let vote = &v["vote"];
    assert_eq!(vote["yes"], 13);
    assert_eq!(vote["no"], 1);
    assert_eq!(vote["abstain"], 1);
    assert_eq!(vote["vetoed_by"], serde_json::json!(["RUS"]));
    assert_eq!(vote["passes"], false);
    assert_eq!(vote["ballots"][0]["ballot"], "abstain");
    let text = String::from_utf8(detente(&["power", &data("unsc_2024.toml")]).stdout).unwrap();
    assert!(
        text.contains("Result: 13 yes, 1 no, 1 abstain: vetoed by RUS, fails"),
        "{text}"
    );
}

#[test]
fn eu_council_indices_are_consistent() {
    let v = json_of(&["power", &data("eu_council.toml"), "--format", "json"]);
    for key in ["shapley_shubik", "banzhaf_normalized"] {
        let xs: Vec<f64> = v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(xs.len(), 27);
        assert!((xs.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{key}");
        // Members are listed by population, largest first: power does not increase.
        assert!(xs.windows(2).all(|w| w[0] >= w[1] - 1e-15), "{key}: {xs:?}");
    }
}

#[test]
fn electoral_college_exact() {
    let v = json_of(&[
        "power",
        &data("electoral_college.toml"),
        "--exact",
        "--format",
        "json",
    ]);
    let players = v["players"].as_array().unwrap();
    assert_eq!(players.len(), 51);
    let ss: Vec<f64> = v["shapley_shubik"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert!((ss.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // California (54 electors) has the most power; states with 3 electors are equal.
    let ca = players.iter().position(|p| p == "CA").unwrap();
    assert!(ss.iter().all(|&x| x <= ss[ca]));
    let vt = players.iter().position(|p| p == "VT").unwrap();
    let wy = players.iter().position(|p| p == "WY").unwrap();
    assert_eq!(v["shapley_shubik_exact"][vt], v["shapley_shubik_exact"][wy]);
}

#[test]
fn power_errors() {
    let e = stderr_of_failure(&["power", "--game", "[10; 3, 4]"], 1);
    assert!(
        e.contains("--game:1:2: quota 10 is above the total weight 7"),
        "{e}"
    );
    let e = stderr_of_failure(&["power", "--game", "[3; 4, -1]"], 1);
    assert!(e.contains("negative"), "{e}");
    let e = stderr_of_failure(&["power", "--game", "[3; ]"], 1);
    assert!(e.contains("no members"), "{e}");
    let e = stderr_of_failure(&["power"], 2);
    assert!(e.contains("usage"), "{e}");
    let e = stderr_of_failure(&["power", "/nonexistent/body.toml"], 1);
    assert!(e.contains("cannot read /nonexistent/body.toml"), "{e}");
}

#[test]
fn bad_body_file_names_the_place() {
    let dir = std::env::temp_dir().join(format!("detente-coop-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(
        &path,
        "members = [\"A\", \"B\"]\nweights = [1, 2]\nquota = 4\n",
    )
    .unwrap();
    let p = path.display().to_string();
    let e = stderr_of_failure(&["power", &p], 1);
    assert!(
        e.contains(&format!(
            "{p}:3:9: quota: quota 4 is above the total weight 3"
        )),
        "{e}"
    );
    std::fs::write(&path, "weights = [1, 2\n").unwrap();
    let e = stderr_of_failure(&["power", &p], 1);
    assert!(e.contains(&format!("{p}:")), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bargain_no_zone_for_us_dprk_talks() {
    let v = json_of(&["bargain", &data("us_dprk_talks.toml"), "--format", "json"]);
    assert_eq!(v["issue"]["zone_exists"], false);
    assert_eq!(
        v["issue"]["statement"],
        "no zone of possible agreement: DPRK needs at least 80, USA accepts at most 60 (gap 20)"
    );
}

#[test]
fn bargain_over_deals() {
    let v = json_of(&["bargain", &data("freeze_deal.toml"), "--format", "json"]);
    let d = &v["deals"];
    assert_eq!(
        d["nash"]["payoffs_exact"],
        serde_json::json!(["5/2", "5/2"])
    );
    assert_eq!(
        d["kalai_smorodinsky"]["payoffs_exact"],
        serde_json::json!(["65/28", "75/28"])
    );
    assert_eq!(
        d["egalitarian"]["payoffs_exact"],
        serde_json::json!(["5/2", "5/2"])
    );
    assert_eq!(d["zopa"]["exists"], true);
    assert_eq!(
        d["frontier"],
        serde_json::json!([["5", "-1"], ["3", "2"], ["-1", "6"]])
    );
}

#[test]
fn coalition_solutions() {
    let v = json_of(&["coalition", &data("talmud_200.toml"), "--format", "json"]);
    assert_eq!(
        v["nucleolus"]["point_exact"],
        serde_json::json!(["50", "75", "75"])
    );
    assert_eq!(
        v["shapley_exact"],
        serde_json::json!(["100/3", "250/3", "250/3"])
    );
    assert_eq!(v["core"]["empty"], false);
    let v = json_of(&["coalition", &data("glove.json"), "--format", "json"]);
    assert_eq!(v["core"]["point_exact"], serde_json::json!(["1", "0", "0"]));
    assert_eq!(v["shapley_exact"], serde_json::json!(["2/3", "1/6", "1/6"]));
    let text = String::from_utf8(detente(&["coalition", &data("seoul_tokyo_beijing.toml")]).stdout)
        .unwrap();
    assert!(text.contains("Nucleolus: (11/4, 11/4, 7/2)"), "{text}");
}

#[test]
fn large_coalition_game_is_sampled() {
    let dir = std::env::temp_dir().join(format!("detente-coop-cli-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.toml");
    // 40 equal claims: by symmetry each player's Shapley value is 100/40.
    let claims = vec!["10"; 40].join(", ");
    std::fs::write(
        &path,
        format!("[bankruptcy]\nestate = 100\nclaims = [{claims}]\n"),
    )
    .unwrap();
    let v = json_of(&[
        "coalition",
        &path.display().to_string(),
        "--samples",
        "2000",
        "--format",
        "json",
    ]);
    let phi = v["shapley"].as_array().unwrap();
    let hw = v["shapley_ci95_half_width"].as_array().unwrap();
    assert_eq!(phi.len(), 40);
    for (p, h) in phi.iter().zip(hw) {
        assert!((p.as_f64().unwrap() - 2.5).abs() <= 3.0 * h.as_f64().unwrap() + 1e-9);
    }
    std::fs::remove_dir_all(&dir).ok();
}
