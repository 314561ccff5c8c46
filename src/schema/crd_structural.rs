//! The structural-schema checks of a CustomResourceDefinition: what the API server refuses in
//! a CRD's schemas beyond their JSON Schema, and the CEL rules kubevet cannot evaluate. The
//! walk reads a [`JsonView`], so a CRD whose tree reads as its value is checked from the tree
//! without building the value (a large CRD's value is many megabytes).

use crate::model::JsonView;
use crate::rules::{Finding, RuleId};

/// What the API server refuses in a CustomResourceDefinition's schemas beyond their JSON
/// Schema: the structural-schema rules (every specified node has a `type`, unless it is
/// int-or-string or keeps unknown fields; `properties` and `additionalProperties` are
/// exclusive; `metadata` at the root may only restrict `name` and `generateName`) and the list
/// type rules (`x-kubernetes-list-map-keys` only on a `map` list of objects, each key required
/// or defaulted).
pub fn structural_problems<'v>(crd: impl JsonView<'v>, out: &mut Vec<Finding>) {
    let versions = crd.get("spec").and_then(|s| s.get("versions"));
    for (i, v) in versions
        .and_then(JsonView::items)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(schema) = v.get("schema").and_then(|s| s.get("openAPIV3Schema")) else {
            continue;
        };
        let at = format!("/spec/versions/{i}/schema/openAPIV3Schema");
        let mut rules = Vec::new();
        schema_node(schema, &mut at.clone(), Walk::Root, out, &mut rules);
        let name = v.get("name").and_then(JsonView::as_str);
        unsupported_rules(name.unwrap_or("?"), &rules, out);
        let meta = schema
            .get("properties")
            .and_then(|p| p.get("metadata"))
            .and_then(|m| m.get("properties"))
            .and_then(JsonView::entries);
        if let Some(meta) = meta {
            for (k, _) in meta.filter(|(k, _)| *k != "name" && *k != "generateName") {
                out.push(Finding::new(
                    RuleId::Schema,
                    format!("{at}/properties/metadata/properties/{}", crate::pointer::escape(k)),
                    format!("`metadata.{k}` may not be specified in a CustomResourceDefinition schema: only `name` and `generateName` can be restricted"),
                ).at(crate::rules::Target::Key));
            }
        }
    }
}

/// One `unsupported-cel-rule` info for a version whose CEL rules (`rules`: the pointer of
/// each `rule` text, and the text) kubevet cannot all evaluate, at the first such rule.
fn unsupported_rules(version: &str, rules: &[(String, String)], out: &mut Vec<Finding>) {
    let unsupported: Vec<(String, String)> = rules
        .iter()
        .filter_map(|(p, r)| Some((p.clone(), super::cel::unsupported(r)?)))
        .collect();
    let Some((first, why)) = unsupported.first() else {
        return;
    };
    let others = match unsupported.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    out.push(
        Finding::new(
            RuleId::UnsupportedCelRule,
            first.clone(),
            format!(
                "{} of the {} CEL rules of version `{version}` cannot be checked by kubevet: this one because {why}{others}; custom resources are not checked against them",
                unsupported.len(),
                rules.len()
            ),
        )
        .help("the API server still enforces these rules; the others are checked"),
    );
}

/// Where a schema node is in the walk of a CRD version's schema.
#[derive(Clone, Copy, PartialEq)]
enum Walk {
    /// `openAPIV3Schema` itself.
    Root,
    /// Below it, checked.
    Checked,
    /// Below the root's `apiVersion`, `kind` or `metadata`, which are the API server's: only
    /// their CEL rules are gathered.
    RulesOnly,
}

/// The keys of a schema node the walk reads, found in one pass over its entries.
#[derive(Default)]
struct NodeKeys<'v, V> {
    typed: bool,
    exempt: bool,
    has_properties: bool,
    /// `properties`, when it is a mapping.
    properties: Option<V>,
    items: Option<V>,
    additional: Option<V>,
    list_type: Option<&'v str>,
    /// `x-kubernetes-list-map-keys`, when it is a sequence.
    list_map_keys: Option<V>,
    /// `x-kubernetes-validations`, when it is a sequence.
    validations: Option<V>,
}

impl<'v, V: JsonView<'v>> NodeKeys<'v, V> {
    /// The keys of a mapping's entries.
    fn of(entries: impl Iterator<Item = (&'v str, V)>) -> NodeKeys<'v, V> {
        let mut k = NodeKeys {
            typed: false,
            exempt: false,
            has_properties: false,
            properties: None,
            items: None,
            additional: None,
            list_type: None,
            list_map_keys: None,
            validations: None,
        };
        let seq = |v: V| v.items().is_some().then_some(v);
        for (key, v) in entries {
            match key {
                "type" => k.typed = v.as_str().is_some_and(|t| !t.is_empty()),
                "x-kubernetes-int-or-string" | "x-kubernetes-preserve-unknown-fields" => {
                    k.exempt |= v.as_bool() == Some(true);
                }
                "properties" => {
                    k.has_properties = true;
                    k.properties = v.is_map().then_some(v);
                }
                "items" => k.items = Some(v),
                "additionalProperties" => k.additional = Some(v),
                "x-kubernetes-list-type" => k.list_type = v.as_str(),
                "x-kubernetes-list-map-keys" => k.list_map_keys = seq(v),
                "x-kubernetes-validations" => k.validations = seq(v),
                _ => {}
            }
        }
        k
    }
}

/// One walk of a schema node and those below it: the structural-schema checks (unless
/// `walk` is [`Walk::RulesOnly`]) into `out`, and every CEL rule, with the pointer of its
/// `rule` text, into `rules`. `at` is the node's pointer, extended and restored while walking
/// (no pointer is built for a node without findings or rules).
fn schema_node<'v, V: JsonView<'v>>(
    s: V,
    at: &mut String,
    walk: Walk,
    out: &mut Vec<Finding>,
    rules: &mut Vec<(String, String)>,
) {
    let Some(m) = s.entries() else { return };
    let k = NodeKeys::of(m);
    if walk != Walk::RulesOnly {
        structural_checks(&k, at, walk == Walk::Root, out);
    }
    let validations = k.validations.and_then(JsonView::items);
    for (i, r) in validations.into_iter().flatten().enumerate() {
        if let Some(text) = r.get("rule").and_then(JsonView::as_str) {
            rules.push((
                format!("{at}/x-kubernetes-validations/{i}/rule"),
                text.to_string(),
            ));
        }
    }
    let below = |name: &str| match walk {
        Walk::Root if matches!(name, "apiVersion" | "kind" | "metadata") => Walk::RulesOnly,
        Walk::RulesOnly => Walk::RulesOnly,
        _ => Walk::Checked,
    };
    for (name, sub) in k
        .properties
        .and_then(JsonView::entries)
        .into_iter()
        .flatten()
    {
        let len = at.len();
        at.push_str("/properties/");
        at.push_str(&crate::pointer::escape(name));
        schema_node(sub, at, below(name), out, rules);
        at.truncate(len);
    }
    let walk = if walk == Walk::RulesOnly {
        Walk::RulesOnly
    } else {
        Walk::Checked
    };
    for (key, sub) in [("items", k.items), ("additionalProperties", k.additional)] {
        if let Some(sub) = sub.filter(|v| v.is_map()) {
            let len = at.len();
            at.push('/');
            at.push_str(key);
            schema_node(sub, at, walk, out, rules);
            at.truncate(len);
        }
    }
}

/// The structural-schema checks of one schema node (`k`, at pointer `at`).
fn structural_checks<'v, V: JsonView<'v>>(
    k: &NodeKeys<'v, V>,
    at: &str,
    root: bool,
    out: &mut Vec<Finding>,
) {
    if !k.typed && !k.exempt {
        out.push(
            Finding::new(
                RuleId::Schema,
                at.to_string(),
                format!(
                    "`{}`: `type` is required: the API server requires a type on every field of a structural schema (or `x-kubernetes-int-or-string` / `x-kubernetes-preserve-unknown-fields`)",
                    if root { "openAPIV3Schema".to_string() } else { crate::pointer::dotted(at) }
                ),
            )
            .help("add `type: object`, `string`, `integer`, `number`, `boolean` or `array`"),
        );
    }
    if k.has_properties
        && k.additional
            .is_some_and(|a| a.as_bool() != Some(false) && !a.is_null())
    {
        out.push(Finding::new(
            RuleId::Schema,
            format!("{at}/additionalProperties"),
            "`additionalProperties` and `properties` are mutually exclusive in a CustomResourceDefinition schema".to_string(),
        ).at(crate::rules::Target::Key));
    }
    let Some(keys) = k.list_map_keys.and_then(JsonView::items) else {
        return;
    };
    if k.list_type != Some("map") {
        out.push(
            Finding::new(
                RuleId::Schema,
                format!("{at}/x-kubernetes-list-map-keys"),
                "`x-kubernetes-list-map-keys` requires `x-kubernetes-list-type: map`".to_string(),
            )
            .at(crate::rules::Target::Key),
        );
        return;
    }
    let item = k.items;
    let required: Vec<&str> = item
        .and_then(|i| i.get("required"))
        .and_then(JsonView::items)
        .map(|r| r.filter_map(JsonView::as_str).collect())
        .unwrap_or_default();
    for key in keys.filter_map(JsonView::as_str) {
        let prop = item
            .and_then(|i| i.get("properties"))
            .and_then(|p| p.get(key));
        let defaulted = prop.is_some_and(|p| p.get("default").is_some());
        if prop.is_none() || (!required.contains(&key) && !defaulted) {
            out.push(Finding::new(
                RuleId::Schema,
                format!("{at}/x-kubernetes-list-map-keys"),
                format!("list map key `{key}` must be a property of the items that is required or has a default"),
            ).at(crate::rules::Target::Key));
        }
    }
}
