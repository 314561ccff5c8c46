//! Inputs the fuzzers found crashing, replayed through the whole check, `--fix` included.

#[test]
fn fuzz_crashes_stay_fixed() {
    let engine = kubevet::app::build_engine(&Default::default()).expect("engine");
    let mut n = 0;
    for e in std::fs::read_dir("fixtures/fuzz")
        .expect("fixtures/fuzz")
        .flatten()
    {
        let bytes = std::fs::read(e.path()).expect("read");
        let r = engine.check_bytes("fuzz.yaml", &bytes);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let fixes: Vec<_> = r
                .diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .collect();
            let (fixed, _) = kubevet::fix::apply_fixes(text, &fixes);
            let _ = engine.check_bytes("fuzz.yaml", fixed.as_bytes());
        }
        n += 1;
    }
    assert!(n >= 1);
}
