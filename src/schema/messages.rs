//! Validator errors -> findings a person understands: which field, what was expected, what was
//! found, and what to write instead. An unknown field gets the closest valid name — first the
//! same name in another case, then the same name at a neighbouring level of the pod ("a field
//! of a container, not of the pod spec"), then the closest spelling. Every keyword the built-in
//! and CRD schemas use has its own message; the validator's raw text is kept only for the rest.

use crate::model::levels::schema::schema_level;
use crate::model::pod::WorkloadKind;
use crate::pointer::AtPointer;
use crate::pointer::{self, dotted};
use crate::rules::{Finding, RuleId, Target};
use crate::suggest::suggest;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Stands in a help text for the source text of the finding's value. The engine, which has the
/// file, replaces it: `quote the value: "yes"` must show what was written, not `true`.
pub const VALUE_SOURCE: &str = "\u{1}value-source\u{1}";

/// Replace [`VALUE_SOURCE`] in a help text with the value's source text.
pub fn fill_value_source(help: &str, source: &str) -> String {
    help.replace(VALUE_SOURCE, source.trim())
}

/// Schema documents by file name: the files of a `--schema-dir`, which `$ref` each other.
pub type Files = HashMap<String, Arc<Value>>;

/// Where `$ref`s resolve: the document the current schema lives in, and the other documents
/// of its set by file name.
#[derive(Clone, Copy)]
pub struct Docs<'a> {
    pub document: &'a Value,
    pub files: Option<&'a Files>,
}

impl<'a> Docs<'a> {
    /// A single self-contained document.
    pub fn single(document: &'a Value) -> Docs<'a> {
        Docs {
            document,
            files: None,
        }
    }

    /// The schema a `$ref` names, and the documents its own `$ref`s resolve in.
    fn follow(self, reference: &'a str) -> Option<(Docs<'a>, &'a Value)> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let docs = if file.is_empty() {
            self
        } else {
            let name = file.rsplit('/').next().unwrap_or(file);
            match self.files.and_then(|f| f.get(name)) {
                Some(d) => Docs {
                    document: d.as_ref(),
                    files: self.files,
                },
                // A file outside the set: the fragment may still name this document's part
                // (the embedded schemas carry their definitions in one document).
                None => self,
            }
        };
        let target = if fragment.is_empty() {
            Some(docs.document)
        } else {
            docs.document.at_pointer(fragment)
        };
        target.map(|t| (docs, t))
    }

    /// The properties of a definition of this document, by name.
    fn definition_properties(self, name: &str) -> Option<&'a Map<String, Value>> {
        self.document
            .get("definitions")?
            .get(name)?
            .get("properties")?
            .as_object()
    }
}

/// A schema reached by walking, with the name of the definition it came from, if any.
#[derive(Clone, Copy)]
struct Reached<'a> {
    docs: Docs<'a>,
    schema: &'a Value,
    definition: Option<&'a str>,
}

/// Follow `$ref`s and single-element `allOf`s.
fn resolve<'a>(docs: Docs<'a>, schema: &'a Value) -> Reached<'a> {
    let mut level = Reached {
        docs,
        schema,
        definition: None,
    };
    for _ in 0..32 {
        if let Some(r) = level.schema.get("$ref").and_then(Value::as_str) {
            match level.docs.follow(r) {
                Some((d, t)) => {
                    level.docs = d;
                    level.schema = t;
                    level.definition = r.rsplit('/').next();
                    continue;
                }
                None => return level,
            }
        }
        if let Some([one]) = level
            .schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            level.schema = one;
            continue;
        }
        break;
    }
    level
}

/// The schema that describes the instance at `ptr`, walking from `root`.
fn level_at<'a>(docs: Docs<'a>, root: &'a Value, ptr: &str) -> Option<Reached<'a>> {
    let mut level = resolve(docs, root);
    for tok in pointer::each_token(ptr) {
        let s = level.schema;
        let next = s
            .get("properties")
            .and_then(|p| p.get(tok.as_ref()))
            .or_else(|| tok.parse::<usize>().ok().and_then(|_| s.get("items")))
            .or_else(|| s.get("additionalProperties").filter(|a| a.is_object()))?;
        level = resolve(level.docs, next);
    }
    Some(level)
}

/// The schema that describes the instance at `ptr`, walking from `root` (whose `$ref`s resolve
/// in `document`).
pub fn schema_at<'a>(document: &'a Value, root: &'a Value, ptr: &str) -> Option<&'a Value> {
    level_at(Docs::single(document), root, ptr).map(|l| l.schema)
}

/// The help for an unknown field `name` at `level`, whose valid fields are `valid`; `kind` is
/// the object's kind of workload, if it is one, and `written` the mapping the field is in.
fn unknown_field_help(
    name: &str,
    valid: &[&str],
    level: Option<Reached>,
    kind: Option<WorkloadKind>,
    written: Option<&Map<String, Value>>,
) -> String {
    if let Some(same) = valid.iter().find(|v| v.eq_ignore_ascii_case(name)) {
        return format!("did you mean `{same}`?");
    }
    if let Some(help) = level.and_then(|l| neighbour_help(name, l, kind, written)) {
        return help;
    }
    match suggest(name, valid.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None if valid.is_empty() => "remove it: the API server rejects unknown fields".into(),
        None => format!(
            "remove it, or use one of the fields valid here: {}",
            list(valid)
        ),
    }
}

/// The help for an unknown field that is a field of a neighbouring level of the pod (the
/// levels table's, in its order), even in another case, which `misplaced-field` leaves alone.
fn neighbour_help(
    name: &str,
    level: Reached,
    kind: Option<WorkloadKind>,
    written: Option<&Map<String, Value>>,
) -> Option<String> {
    let here = schema_level(level.definition?, kind, written)?;
    here.neighbours.iter().find_map(|(definition, there)| {
        let fields = level.docs.definition_properties(definition)?;
        let field = fields.keys().find(|k| k.eq_ignore_ascii_case(name))?;
        let here = &here.name;
        Some(if field == name {
            format!("`{field}` is a field of {there}, not of {here}: move it there")
        } else {
            format!(
                "did you mean `{field}`? It is a field of {there}, not of {here}: move it there and mind the case"
            )
        })
    })
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn type_name(t: &str) -> &'static str {
    match t {
        "integer" => "an integer",
        "number" => "a number",
        "string" => "a string",
        "boolean" => "a boolean (true or false)",
        "array" => "a list",
        "object" => "a mapping",
        "null" => "null",
        _ => "a value of another type",
    }
}

fn short(v: &Value) -> String {
    let s = match v {
        Value::Array(_) => return "a list".into(),
        Value::Object(_) => return "a mapping".into(),
        other => other.to_string(),
    };
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// A value as code in a message: strings without their JSON quotes.
fn code(v: &Value) -> String {
    match v {
        Value::String(s) if s.is_empty() => "\"\"".into(),
        Value::String(s) if s.chars().count() > 40 => {
            format!("`{}…`", s.chars().take(40).collect::<String>())
        }
        Value::String(s) => format!("`{s}`"),
        Value::Array(_) | Value::Object(_) => short(v),
        other => format!("`{}`", short(other)),
    }
}

/// Where a pointer is, for a message: "in `spec.template.spec`" or "at the top level".
fn place(ptr: &str) -> String {
    if ptr.is_empty() {
        "at the top level".into()
    } else {
        format!("in `{}`", dotted(ptr))
    }
}

/// The subject of a message about the value at a pointer.
fn what(ptr: &str) -> String {
    if ptr.is_empty() {
        "the document".into()
    } else {
        format!("`{}`", dotted(ptr))
    }
}

/// "1 item", "3 items", "2 entries".
fn count(n: u64, one: &str) -> String {
    match (n, one.strip_suffix('y')) {
        (1, _) => format!("1 {one}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ => format!("{n} {one}s"),
    }
}

/// Convert one validator error into findings. `docs` is where the `$ref`s of `root` resolve.
pub fn push_finding(
    error: &ValidationError,
    instance: &Value,
    docs: Docs,
    root: &Value,
    out: &mut Vec<Finding>,
) {
    let e = Error::new(error, instance, docs, root);
    use ValidationErrorKind as K;
    match error.kind() {
        K::AdditionalProperties { unexpected } => unknown_fields(&e, unexpected, out),
        K::Required { property } => out.push(missing_field(&e, property)),
        K::Type { kind } => out.push(wrong_type(&e, kind)),
        K::Enum { options } => out.extend(not_a_choice(&e, options)),
        K::Constant { expected_value } => out.push(not_the_constant(&e, expected_value)),
        K::Minimum { .. }
        | K::ExclusiveMinimum { .. }
        | K::Maximum { .. }
        | K::ExclusiveMaximum { .. }
        | K::MultipleOf { .. } => out.extend(out_of_bounds(&e, error.kind())),
        K::Pattern { pattern } => out.push(not_the_pattern(&e, pattern)),
        K::MinLength { limit } => out.push(too_short(&e, *limit)),
        K::MaxLength { limit } => out.push(too_long(&e, *limit)),
        K::MinItems { .. } | K::MaxItems { .. } | K::AdditionalItems { .. } => {
            out.extend(item_count(&e, error.kind()))
        }
        K::MinProperties { .. } | K::MaxProperties { .. } => {
            out.extend(entry_count(&e, error.kind()))
        }
        K::UniqueItems => out.push(repeated_item(&e)),
        K::Format { format } => out.push(wrong_format(&e, format)),
        K::AnyOf { context } => out.push(no_form(&e, "anyOf", context)),
        K::OneOfNotValid { context } => out.push(no_form(&e, "oneOf", context)),
        K::OneOfMultipleValid { .. } => out.push(several_forms(&e)),
        K::FalseSchema | K::Not { .. } | K::Contains | K::PropertyNames { .. } => {
            out.extend(not_allowed(&e, error.kind()))
        }
        _ => out.push(Finding::new(
            e.id,
            e.at.clone(),
            format!("{} {}", error, place(&e.at)),
        )),
    }
}

/// What every message about one validator error starts from.
struct Error<'a> {
    id: RuleId,
    /// The pointer of the value the error is about.
    at: String,
    /// The value (null when the instance has none there).
    found: &'a Value,
    /// How the message names it: "`spec.replicas`", "the document".
    subject: String,
    /// The whole object the error is in.
    instance: &'a Value,
    docs: Docs<'a>,
    root: &'a Value,
}

impl<'a> Error<'a> {
    fn new(error: &ValidationError, instance: &'a Value, docs: Docs<'a>, root: &'a Value) -> Self {
        let at = error.instance_path().as_str().to_string();
        Error {
            id: RuleId::Schema,
            found: instance.at_pointer(&at).unwrap_or(&Value::Null),
            subject: what(&at),
            at,
            instance,
            docs,
            root,
        }
    }

    /// The object's kind of workload, if it is one.
    fn workload(&self) -> Option<WorkloadKind> {
        let text = |key| self.instance.get(key).and_then(Value::as_str);
        let api_version = text("apiVersion")?;
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        WorkloadKind::from_type(group, text("kind")?)
    }

    /// A finding at the value with a message, a label and a help.
    fn simple(&self, message: String, label: &str, help: String) -> Finding {
        Finding::new(self.id, self.at.clone(), message)
            .label(label)
            .help(help)
    }

    /// The schema of the value.
    fn level(&self) -> Option<Reached<'a>> {
        level_at(self.docs, self.root, &self.at)
    }
}

/// Unknown fields: each with the closest valid name, here or at a neighbouring level.
fn unknown_fields(e: &Error, unexpected: &[String], out: &mut Vec<Finding>) {
    let level = e.level();
    // Sorted: a CRD's schema lists its properties in the order its file writes them, and the
    // help (a name that differs only in case) must not depend on it.
    let mut valid: Vec<&str> = level
        .and_then(|l| l.schema.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    valid.sort_unstable();
    let kind = e.workload();
    let written = e.found.as_object();
    for name in unexpected {
        out.push(
            Finding::new(
                e.id,
                pointer::push(&e.at, name),
                format!("unknown field `{name}` {}", place(&e.at)),
            )
            .at(Target::Key)
            .label("not a field here")
            .help(unknown_field_help(name, &valid, level, kind, written)),
        );
    }
}

/// A required field that is missing. The pointer names the missing field; the report
/// underlines its parent.
fn missing_field(e: &Error, property: &Value) -> Finding {
    let name = property.as_str().unwrap_or_default();
    Finding::new(
        e.id,
        pointer::push(&e.at, name),
        format!("missing required field `{name}` {}", place(&e.at)),
    )
    .at(Target::Key)
    .label(format!("`{name}` is required here"))
    .help(format!("add `{name}`"))
}

/// A value of the wrong type; for a string written unquoted, how to quote it.
fn wrong_type(e: &Error, kind: &TypeKind) -> Finding {
    let expected: Vec<&str> = match kind {
        TypeKind::Single(t) => vec![type_name(&t.to_string())],
        TypeKind::Multiple(set) => set.iter().map(|t| type_name(&t.to_string())).collect(),
    };
    let found = e.found;
    let message = mismatch(&e.subject, &expected.join(" or "), found);
    let f = Finding::new(e.id, e.at.clone(), message)
        .label(format!("expected {}", expected.join(" or ")));
    if expected.contains(&"a string")
        && !found.is_string()
        && !found.is_object()
        && !found.is_array()
    {
        f.help(format!(
            "quote the value: `\"{VALUE_SOURCE}\"` (unquoted, YAML reads it as {}: {})",
            json_type(found),
            short(found)
        ))
    } else if expected.iter().any(|e| e.starts_with("an integer")) && found.is_string() {
        f.help("write the number without quotes")
    } else {
        f
    }
}

/// A value that is not one of the allowed ones; the closest choice when there is one.
fn not_a_choice(e: &Error, options: &Value) -> Option<Finding> {
    let declared_string = e
        .level()
        .and_then(|l| l.schema.get("type"))
        .and_then(Value::as_str)
        == Some("string");
    if declared_string && !e.found.is_string() {
        // Reported by `type` already.
        return None;
    }
    // `""` is accepted where the API server defaults the field, but never a choice.
    let shown: Vec<&Value> = options
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o.as_str() != Some(""))
        .collect();
    let names: Vec<String> = shown.iter().map(|o| code(o)).collect();
    let choices = choice_list(&names);
    let strings: Vec<&str> = shown.iter().filter_map(|o| o.as_str()).collect();
    let help = match e.found.as_str() {
        Some(s) => match strings.iter().find(|o| o.eq_ignore_ascii_case(s)) {
            Some(same) => format!("did you mean `{same}`?"),
            None => match suggest(s, strings.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("use one of {choices}"),
            },
        },
        None => format!("use one of {choices}"),
    };
    Some(e.simple(
        format!(
            "{} must be one of {choices}, not {}",
            e.subject,
            code(e.found)
        ),
        "not an allowed value",
        help,
    ))
}

/// A value other than the one allowed.
fn not_the_constant(e: &Error, expected: &Value) -> Finding {
    let expected = code(expected);
    e.simple(
        format!("{} must be {expected}, not {}", e.subject, code(e.found)),
        "not the required value",
        format!("use {expected}"),
    )
}

/// A number below or above a bound, or not a multiple of one.
fn out_of_bounds(e: &Error, kind: &ValidationErrorKind) -> Option<Finding> {
    let (subject, found) = (&e.subject, short(e.found));
    use ValidationErrorKind as K;
    Some(match kind {
        K::Minimum { limit } => e.simple(
            format!("{subject} must be at least {limit}, not {found}"),
            "too small",
            format!("use {limit} or more"),
        ),
        K::ExclusiveMinimum { limit } => e.simple(
            format!("{subject} must be greater than {limit}, not {found}"),
            "too small",
            format!("use a value above {limit}"),
        ),
        K::Maximum { limit } => e.simple(
            format!("{subject} must be at most {limit}, not {found}"),
            "too large",
            format!("use {limit} or less"),
        ),
        K::ExclusiveMaximum { limit } => e.simple(
            format!("{subject} must be less than {limit}, not {found}"),
            "too large",
            format!("use a value below {limit}"),
        ),
        K::MultipleOf { multiple_of } => e.simple(
            format!("{subject} must be a multiple of {multiple_of}, not {found}"),
            "not a multiple",
            format!("use a multiple of {multiple_of}"),
        ),
        _ => return None,
    })
}

/// A string that does not match the pattern.
fn not_the_pattern(e: &Error, pattern: &str) -> Finding {
    e.simple(
        format!(
            "{} is {}, which does not match the pattern `{pattern}`",
            e.subject,
            code(e.found)
        ),
        "does not match the pattern",
        format!("change it to match `{pattern}`"),
    )
}

/// A string shorter than allowed (empty, when it must not be).
fn too_short(e: &Error, limit: u64) -> Finding {
    let subject = &e.subject;
    if limit == 1 {
        return e.simple(
            format!("{subject} must not be empty"),
            "empty",
            "write a value".into(),
        );
    }
    let len = e.found.as_str().map_or(0, |s| s.chars().count());
    e.simple(
        format!(
            "{subject} must be at least {} long, not {len}",
            count(limit, "character")
        ),
        "too short",
        format!("lengthen it to at least {}", count(limit, "character")),
    )
}

/// A string longer than allowed.
fn too_long(e: &Error, limit: u64) -> Finding {
    let len = e.found.as_str().map_or(0, |s| s.chars().count());
    e.simple(
        format!(
            "{} is {} long, over the limit of {limit}",
            e.subject,
            count(len as u64, "character")
        ),
        "too long",
        format!("shorten it to {} or fewer", count(limit, "character")),
    )
}

/// A list with fewer or more items than allowed.
fn item_count(e: &Error, kind: &ValidationErrorKind) -> Option<Finding> {
    let subject = &e.subject;
    let len = e.found.as_array().map_or(0, Vec::len) as u64;
    use ValidationErrorKind as K;
    Some(match *kind {
        K::MinItems { limit: 1 } => e.simple(
            format!("{subject} must not be an empty list"),
            "empty list",
            "add at least one item".into(),
        ),
        K::MinItems { limit } => e.simple(
            format!(
                "{subject} must have at least {}, not {len}",
                count(limit, "item")
            ),
            "too few items",
            format!("add items until there are at least {limit}"),
        ),
        K::MaxItems { limit } => e.simple(
            format!(
                "{subject} has {}, more than the {limit} allowed",
                count(len, "item")
            ),
            "too many items",
            format!("remove items until there are at most {limit}"),
        ),
        K::AdditionalItems { limit } => e.simple(
            format!(
                "{subject} has more than the {} allowed",
                count(limit as u64, "item")
            ),
            "too many items",
            format!("remove items until there are at most {limit}"),
        ),
        _ => return None,
    })
}

/// A mapping with fewer or more entries than allowed.
fn entry_count(e: &Error, kind: &ValidationErrorKind) -> Option<Finding> {
    let subject = &e.subject;
    let len = e.found.as_object().map_or(0, |m| m.len()) as u64;
    use ValidationErrorKind as K;
    Some(match *kind {
        K::MinProperties { limit: 1 } => e.simple(
            format!("{subject} must not be empty"),
            "empty",
            "add at least one entry".into(),
        ),
        K::MinProperties { limit } => e.simple(
            format!(
                "{subject} must have at least {}, not {len}",
                count(limit, "entry")
            ),
            "too few entries",
            format!("add entries until there are at least {limit}"),
        ),
        K::MaxProperties { limit } => e.simple(
            format!(
                "{subject} has {}, more than the {limit} allowed",
                count(len, "entry")
            ),
            "too many entries",
            format!("remove entries until there are at most {limit}"),
        ),
        _ => return None,
    })
}

/// A list whose items must be unique: the first repeat, at the repeated item.
fn repeated_item(e: &Error) -> Finding {
    let items = e.found.as_array().map(Vec::as_slice).unwrap_or_default();
    let repeat = (1..items.len()).find_map(|j| {
        items[..j]
            .iter()
            .position(|x| *x == items[j])
            .map(|i| (i, j))
    });
    let Some((i, j)) = repeat else {
        return e.simple(
            format!("the items of {} must be unique", e.subject),
            "repeated items",
            "remove the repeated items".into(),
        );
    };
    let item = |n: usize| pointer::push(&e.at, n.to_string());
    Finding::new(
        e.id,
        item(j),
        format!(
            "`{}` repeats `{}`: the items of {} must be unique",
            dotted(&item(j)),
            dotted(&item(i)),
            e.subject
        ),
    )
    .label("repeated item")
    .help("remove the repeated item")
}

/// A string not in the required format.
fn wrong_format(e: &Error, format: &str) -> Finding {
    let (name, help) = format_help(format);
    e.simple(
        format!("{} must be {name}, not {}", e.subject, code(e.found)),
        "wrong format",
        help,
    )
}

/// A value that matches none of the forms of an `anyOf`/`oneOf`.
fn no_form(e: &Error, keyword: &str, context: &[Vec<ValidationError<'static>>]) -> Finding {
    let forms = e.level().map(|l| forms(l, keyword)).unwrap_or_default();
    none_matches(&e.at, &e.subject, e.found, &forms, context)
}

/// A value that matches more than one form of a `oneOf`.
fn several_forms(e: &Error) -> Finding {
    let forms = e.level().map(|l| forms(l, "oneOf")).unwrap_or_default();
    match field_sets(&forms) {
        Some(sets) if !sets.is_empty() => e.simple(
            format!(
                "{} sets more than one of `{}`; only one is allowed",
                e.subject,
                sets.join("`, `")
            ),
            "more than one form",
            "keep only one of them".into(),
        ),
        _ => e.simple(
            format!(
                "{} matches more than one of the forms allowed here; exactly one must match",
                e.subject
            ),
            "more than one form",
            "remove what makes it match several forms".into(),
        ),
    }
}

/// A value of a form the schema forbids: no value allowed (`false`), a `not`, a list without
/// the item it must contain, a key not allowed.
fn not_allowed(e: &Error, kind: &ValidationErrorKind) -> Option<Finding> {
    let subject = &e.subject;
    use ValidationErrorKind as K;
    Some(match kind {
        K::FalseSchema => {
            Finding::new(e.id, e.at.clone(), format!("{subject} is not allowed here"))
                .at(Target::Key)
                .label("not allowed")
                .help("remove it")
        }
        K::Not { .. } => e.simple(
            format!("{subject} has a form the schema forbids here"),
            "forbidden form",
            "change it: see the field's description for what is allowed".into(),
        ),
        K::Contains => e.simple(
            format!("{subject} has no item of the form the schema requires"),
            "missing item",
            "add an item of the required form".into(),
        ),
        K::PropertyNames { error } => e.simple(
            format!("{subject} has a key that is not allowed: {error}"),
            "key not allowed",
            "rename or remove the key".into(),
        ),
        _ => return None,
    })
}

/// `a`, `b`, `c` (at most twelve).
fn choice_list(names: &[String]) -> String {
    match names {
        [] => "the allowed values".into(),
        _ if names.len() > 12 => format!("{}, … ({} in all)", names[..12].join(", "), names.len()),
        _ => names.join(", "),
    }
}

/// A description of a format and the help for a value not in it.
fn format_help(format: &str) -> (String, String) {
    let (name, example) = match format {
        "date-time" => ("an RFC 3339 date and time", "`2024-05-01T12:00:00Z`"),
        "date" => ("a date (YYYY-MM-DD)", "`2024-05-01`"),
        "time" => ("a time with a zone", "`12:00:00Z`"),
        "email" | "idn-email" => ("an email address", "`name@example.com`"),
        "hostname" | "idn-hostname" => ("a DNS hostname", "`app.example.com`"),
        "ipv4" => ("an IPv4 address", "`10.0.0.1`"),
        "ipv6" => ("an IPv6 address", "`fd00::1`"),
        "uri" | "iri" => ("an absolute URI", "`https://example.com/path`"),
        "uri-reference" | "iri-reference" => {
            ("a URI reference", "`/path` or `https://example.com`")
        }
        "uuid" => ("a UUID", "`123e4567-e89b-12d3-a456-426614174000`"),
        "regex" => ("a regular expression", "`^[a-z]+$`"),
        "duration" => ("an ISO 8601 duration", "`PT30S`"),
        other => {
            return (
                format!("in the `{other}` format"),
                format!("write a value in the `{other}` format"),
            )
        }
    };
    (name.to_string(), format!("write {name}, e.g. {example}"))
}

/// One alternative of an `anyOf`/`oneOf`, as a message can name it.
enum Form {
    /// A plain type: "an integer".
    Type(Vec<&'static str>),
    /// An object that sets these fields.
    Fields(Vec<String>),
    Other,
}

fn forms(level: Reached, keyword: &str) -> Vec<Form> {
    let Some(alternatives) = level.schema.get(keyword).and_then(Value::as_array) else {
        return Vec::new();
    };
    alternatives
        .iter()
        .map(|alt| {
            let alt = resolve(level.docs, alt).schema;
            let obj = alt.as_object();
            let only = |keys: &[&str]| {
                obj.is_some_and(|o| {
                    o.keys()
                        .all(|k| keys.contains(&k.as_str()) || k == "description")
                })
            };
            if let (Some(t), true) = (alt.get("type"), only(&["type", "format"])) {
                let types: Vec<&'static str> = match t {
                    Value::String(s) => vec![type_name(s)],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).map(type_name).collect(),
                    _ => return Form::Other,
                };
                return Form::Type(types);
            }
            if let (Some(req), true) = (
                alt.get("required").and_then(Value::as_array),
                only(&["required"]),
            ) {
                return Form::Fields(
                    req.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect(),
                );
            }
            Form::Other
        })
        .collect()
}

/// The message for a value of the wrong type: what was expected, the type found, and the
/// value itself unless it is a list or mapping.
fn mismatch(subject: &str, expected: &str, found: &Value) -> String {
    match found {
        Value::Object(_) | Value::Array(_) => {
            format!("{subject} must be {expected}, not {}", json_type(found))
        }
        _ => format!(
            "{subject} must be {expected}, not {} ({})",
            json_type(found),
            short(found)
        ),
    }
}

/// When every form is a set of fields, each set as "`a`, `b`" (to be quoted once more by the
/// caller); `None` when some form is of another shape.
fn field_sets(forms: &[Form]) -> Option<Vec<String>> {
    forms
        .iter()
        .map(|f| match f {
            Form::Fields(names) => Some(names.join("`, `")),
            _ => None,
        })
        .collect()
}

/// The finding for a value that matches none of the alternatives of an `anyOf`/`oneOf`.
fn none_matches(
    at: &str,
    subject: &str,
    found: &Value,
    forms: &[Form],
    context: &[Vec<ValidationError<'static>>],
) -> Finding {
    let id = RuleId::Schema;
    let types: Option<Vec<&str>> = forms
        .iter()
        .map(|f| match f {
            Form::Type(t) => Some(t.clone()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .map(|v| v.concat());
    if let Some(types) = types.filter(|t| !t.is_empty()) {
        let expected = types.join(" or ");
        return Finding::new(id, at, mismatch(subject, &expected, found))
            .label(format!("expected {expected}"))
            .help(format!("write {expected}"));
    }
    let fields = field_sets(forms);
    if let Some(sets) = fields.filter(|s| !s.is_empty()) {
        return Finding::new(
            id,
            at,
            format!("{subject} must set one of `{}`", sets.join("`, `")),
        )
        .at(Target::Key)
        .label("none of the required fields")
        .help(format!("add one of `{}`", sets.join("`, `")));
    }
    // Explain through the alternative that came closest.
    let closest = context
        .iter()
        .filter(|errors| !errors.is_empty())
        .min_by_key(|errors| errors.len())
        .and_then(|errors| errors.first());
    let mut f = Finding::new(
        id,
        at,
        format!("{subject} matches none of the forms allowed here"),
    )
    .label("no allowed form");
    if let Some(e) = closest {
        let place = e.instance_path().as_str();
        f = f.help(format!(
            "the closest form fails because {}{}",
            e,
            if place.is_empty() || place == at {
                String::new()
            } else {
                format!(" (at `{}`)", dotted(place))
            }
        ));
    }
    f
}

fn list(names: &[&str]) -> String {
    let mut v: Vec<&str> = names.to_vec();
    v.sort_unstable();
    if v.len() > 12 {
        format!(
            "{}, … ({} in all)",
            v[..12]
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            v.len()
        )
    } else {
        v.iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `image` is required in every container of a pod or pod template: the API server refuses a
/// container without one ("Required value"), though the OpenAPI schema marks it optional (for
/// higher-level controllers that fill it in). True when every container has one.
pub fn require_images(object: &crate::model::Object, out: &mut Vec<Finding>) -> bool {
    let Some(workload) = crate::model::pod::WorkloadKind::of(object).filter(|w| w.is_builtin())
    else {
        return true;
    };
    let spec = workload.pod_spec_pointer();
    let mut all = true;
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        let at = pointer::push(spec, list);
        // Read from the tree: a pod template is most of its object.
        let Some(items) = object.node_at(&at).and_then(|n| n.as_seq()) else {
            continue;
        };
        for (i, c) in items.iter().enumerate() {
            if c.as_map().is_none() {
                continue;
            }
            let image = c.get("image").map(|e| &e.value);
            if image.is_some_and(|v| v.json_str().is_none_or(|s| !s.is_empty())) {
                continue;
            }
            all = false;
            let container = pointer::push(&at, i.to_string());
            let name = c.get("name").and_then(|e| e.value.json_str());
            let name = name.as_deref().unwrap_or_default();
            let (ptr, target, label) = if image.is_some() {
                (
                    pointer::push(&container, "image"),
                    Target::Value,
                    "empty image",
                )
            } else {
                (
                    pointer::push(&container, "image"),
                    Target::Key,
                    "`image` is required here",
                )
            };
            out.push(
                Finding::new(
                    RuleId::Schema,
                    ptr,
                    format!("missing required field `image` {}", place(&container)),
                )
                .at(target)
                .label(label)
                .help(if name.is_empty() {
                    "add the container's `image`, e.g. `image: nginx:1.27.2`".to_string()
                } else {
                    format!("add the image container `{name}` runs, e.g. `image: nginx:1.27.2`")
                }),
            );
        }
    }
    all
}

/// The start of a "missing required field" message (see [`push_finding`]).
const MISSING: &str = "missing required field `";

/// Whether a `schema` finding is about something an object leaves out (a required field) or
/// about a Kustomize strategic-merge directive (`$patch`, `$setElementOrder/...`,
/// `$retainKeys`, `$deleteFromPrimitiveList/...`): neither applies to a patch.
pub fn is_about_absence_or_directive(f: &Finding) -> bool {
    f.rule == crate::rules::RuleId::Schema
        && (f.message.starts_with(MISSING)
            || f.message.starts_with("missing required fields ")
            || f.message.starts_with("unknown field `$"))
}

/// Several required fields missing from one mapping become one finding that lists them,
/// at the first one's place: one mistake (an object cut short), one finding. Looks at the
/// findings from `start` on; run it after rules have claimed the schema findings they
/// explain, so a claimed field is not listed.
pub fn merge_missing_siblings(out: &mut Vec<Finding>, start: usize) {
    // (parent pointer, place words) -> index of the group's first finding, and its names.
    let mut groups: Vec<(String, usize, Vec<String>)> = Vec::new();
    let mut drop = vec![false; out.len()];
    for (i, f) in out.iter().enumerate().skip(start) {
        let Some((name, _)) = f
            .message
            .strip_prefix(MISSING)
            .and_then(|r| r.split_once('`'))
        else {
            continue;
        };
        let parent =
            crate::pointer::split_last(&f.pointer).map_or(String::new(), |(p, _)| p.to_string());
        match groups
            .iter_mut()
            .find(|(p, first, _)| *p == parent && out[*first].rule == f.rule)
        {
            Some((_, _, names)) => {
                names.push(name.to_string());
                drop[i] = true;
            }
            None => groups.push((parent, i, vec![name.to_string()])),
        }
    }
    for (_, first, names) in &groups {
        if names.len() < 2 {
            continue;
        }
        let f = &mut out[*first];
        let place = f
            .message
            .strip_prefix(MISSING)
            .and_then(|r| r.split_once("` "))
            .map_or(String::new(), |(_, place)| format!(" {place}"));
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        let list = match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => quoted.join(""),
        };
        f.message = format!("missing required fields {list}{place}");
        f.label = Some(format!("{list} are required here"));
        f.help = Some(format!("add {list}"));
    }
    let mut i = 0;
    out.retain(|_| {
        let keep = !drop.get(i).copied().unwrap_or(false);
        i += 1;
        keep
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let valid = ["imagePullPolicy", "image", "name"];
        assert_eq!(
            suggest("imagePullpolicy", valid.iter().copied()),
            Some("imagePullPolicy")
        );
        assert_eq!(suggest("imgae", valid.iter().copied()), Some("image"));
        assert_eq!(suggest("zzz", valid.iter().copied()), None);
    }

    #[test]
    fn every_level_of_the_table_is_a_definition() {
        let doc = crate::schema::builtin_document();
        let docs = Docs::single(doc);
        for def in crate::model::levels::schema::definitions() {
            assert!(docs.definition_properties(&def).is_some(), "{def}");
        }
    }

    #[test]
    fn a_field_of_a_neighbouring_level_is_named_there() {
        let docs = Docs::single(crate::schema::builtin_document());
        let at = |definition| Reached {
            docs,
            schema: &Value::Null,
            definition: Some(definition),
        };
        let container = at("io.k8s.api.core.v1.Container");
        assert_eq!(
            neighbour_help("HostNetwork", container, None, None).as_deref(),
            Some("did you mean `hostNetwork`? It is a field of the pod spec, not of a container: move it there and mind the case")
        );
        assert_eq!(
            neighbour_help("fsGroup", container, None, None).as_deref(),
            Some("`fsGroup` is a field of the pod's securityContext, not of a container: move it there")
        );
        assert_eq!(neighbour_help("nonsense", container, None, None), None);
        // A workload field in the pod spec: known only when the object is a workload.
        let pod_spec = at("io.k8s.api.core.v1.PodSpec");
        assert_eq!(neighbour_help("Replicas", pod_spec, None, None), None);
        assert_eq!(
            neighbour_help("Replicas", pod_spec, Some(WorkloadKind::Deployment), None).as_deref(),
            Some("did you mean `replicas`? It is a field of a Deployment spec, not of the pod spec: move it there and mind the case")
        );
        // Not a level of the table.
        let service = at("io.k8s.api.core.v1.ServiceSpec");
        assert_eq!(neighbour_help("hostNetwork", service, None, None), None);
        // The source written in a volume is tried first.
        let volume = at("io.k8s.api.core.v1.Volume");
        let written: Map<String, Value> =
            serde_json::from_str(r#"{"name": "v", "secret": {}}"#).expect("json");
        assert_eq!(
            neighbour_help("Items", volume, None, Some(&written)).as_deref(),
            Some("did you mean `items`? It is a field of a secret volume source, not of a volume: move it there and mind the case")
        );
    }

    #[test]
    fn choices_read_as_a_sentence() {
        let names = |v: &[&str]| v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>();
        assert_eq!(choice_list(&names(&["A"])), "`A`");
        assert_eq!(choice_list(&names(&["A", "B", "C"])), "`A`, `B`, `C`");
    }

    #[test]
    fn refs_resolve_across_files() {
        let defs = Arc::new(serde_json::json!(
            {"definitions": {"Spec": {"properties": {"size": {"type": "integer"}}}}}
        ));
        let mut files = Files::new();
        files.insert("_definitions.json".into(), defs);
        let root = serde_json::json!({"properties": {"spec": {"$ref": "_definitions.json#/definitions/Spec"}}});
        let docs = Docs {
            document: &root,
            files: Some(&files),
        };
        let l = level_at(docs, &root, "/spec/size").expect("resolves");
        assert_eq!(l.schema["type"], "integer");
        assert_eq!(
            level_at(docs, &root, "/spec").and_then(|l| l.definition),
            Some("Spec")
        );
    }
}
