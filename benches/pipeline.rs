//! Micro-benchmarks of the three stages of checking one large multi-document file: parsing
//! (spanned tree), schema validation, and the rule pass. `cargo bench` shows regressions.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kubevet::model::{objects_of, PodView};
use kubevet::rules::{object_rules, Context, Options, ProjectOut};
use kubevet::schema::SchemaSet;
use kubevet::source::{parse_stream, Limits};
use std::hint::black_box;

/// Every fixture manifest, repeated into one ~1 MB multi-document stream.
fn large_file() -> String {
    let mut docs = Vec::new();
    let mut stack = vec![std::path::PathBuf::from("fixtures/rules")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    docs.push(t);
                }
            }
        }
    }
    docs.sort();
    let one = docs.join("\n---\n");
    let mut text = String::new();
    while text.len() < 1_000_000 {
        text.push_str(&one);
        text.push_str("\n---\n");
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = large_file();
    let limits = Limits::default();
    let mut g = c.benchmark_group("one large file");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function("parse", |b| {
        b.iter(|| black_box(parse_stream(black_box(&text), &limits)))
    });

    let stream = parse_stream(&text, &limits);
    let roots: Vec<_> = stream
        .documents
        .iter()
        .filter_map(|d| d.root.as_ref().map(|r| (d.index, r)))
        .collect();
    let objects: Vec<_> = roots.iter().flat_map(|(i, r)| objects_of(*i, r)).collect();
    let schemas = SchemaSet::default();
    // Compile every validator once, as a run does.
    for o in &objects {
        schemas.check(o, &mut Vec::new());
    }
    g.bench_function("schema validation", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            for o in &objects {
                schemas.check(o, &mut out);
            }
            black_box(out)
        })
    });
    let project = ProjectOut::default();
    let options = Options::default();
    g.bench_function("rule pass", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            for o in &objects {
                let pod = PodView::of(o);
                let cx = Context {
                    object: o,
                    pod: pod.as_ref(),
                    project: &project,
                    options: &options,
                    pod_security: Default::default(),
                    // As if no schema had passed the object: every rule does its whole work.
                    schema_valid: false,
                };
                for (_, r) in object_rules() {
                    r.check(&cx, &mut out);
                }
            }
            black_box(out)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
