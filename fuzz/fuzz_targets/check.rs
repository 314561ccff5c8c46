//! The whole check of one file — parse, schemas, every rule, fixes, every output format —
//! never panics on any input.
#![no_main]

use kubevet::check::Engine;
use kubevet::discover::{Input, Source};
use kubevet::report::{write, Format, ReportOptions};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let mut settings = kubevet::settings::Settings::default();
        settings.limits.max_nodes = 100_000;
        Engine::new(settings).expect("engine")
    })
}

fuzz_target!(|data: &[u8]| {
    let e = engine();
    let result = e.check_bytes("fuzz.yaml", data);
    if let Ok(text) = std::str::from_utf8(data) {
        if result.diagnostics.iter().any(|d| d.fix.is_some()) {
            let fixed = e.fix("fuzz.yaml", text);
            let _ = e.check_bytes("fuzz.yaml", fixed.text.as_bytes());
        }
    }
    let input = Input {
        display: "fuzz.yaml".into(),
        source: Source::Stdin(data.to_vec()),
    };
    let run = kubevet::run::check_all(e, &[input]);
    for f in [Format::Human, Format::Json, Format::Sarif, Format::Github, Format::Concise] {
        let mut out = Vec::new();
        let _ = write(&mut out, f, &run, ReportOptions { color: false });
    }
});
