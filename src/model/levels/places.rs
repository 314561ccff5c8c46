//! The levels of one pod-bearing object: every mapping of it that is one of the levels of the
//! table ([`Place`]s, in the table's order, each level's mappings below their parent's), and
//! for each, its neighbours resolved to places in that object ([`Home`]s): the mapping a key
//! written at the wrong level belongs in, or — when which one is meant is not known — a
//! description of where it goes.

use super::wording::{above_name, below_name, generic_name, here_name, one_of, role_of};
use super::{row, shape, Level, Near, Reach, Spot, Step, Why, LEVELS};
use crate::model::fields::{fields, FieldSet};
use crate::model::pod::{ContainerRole, WorkloadKind};
use crate::model::Object;
use crate::pointer::{self, dotted, lookup};
use crate::source::tree::Node;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// One mapping of an object that is one of the levels.
#[derive(Debug, Clone)]
pub struct Place<'o> {
    pub level: Level,
    /// Object-relative pointer.
    pub pointer: String,
    /// The kind of workload it belongs to; for a workload spec, the kind whose spec it is.
    pub kind: WorkloadKind,
    /// What picked it among alternatives: a container's list, a probe, a probe's handler, a
    /// volume's source, `podAffinity` or `podAntiAffinity`.
    pub key: Option<String>,
    /// Its index in the list it is an item of.
    pub index: Option<usize>,
    /// How messages name it where it stands, when named as it was found ([`Levels::name`]
    /// names the others, from their parents' names, only for a finding).
    name: Option<String>,
    /// The place it stands in (its index among the object's places).
    parent: Option<usize>,
    /// Its mapping, and the mapping as written (for the order of its keys).
    map: Option<&'o Map<String, Value>>,
    node: Option<&'o Node>,
}

impl<'o> Place<'o> {
    /// Its mapping, when one is written there.
    pub fn mapping(&self) -> Option<&'o Map<String, Value>> {
        self.map
    }

    /// A container's role.
    pub fn role(&self) -> Option<ContainerRole> {
        match self.level {
            Level::Container => role_of(self.key.as_deref()?),
            _ => None,
        }
    }

    /// A place of a level with nothing else known (for the fields of a level at no mapping
    /// in particular).
    pub(crate) fn bare(level: Level) -> Place<'static> {
        Place {
            level,
            pointer: String::new(),
            kind: WorkloadKind::Pod,
            key: None,
            index: None,
            name: Some(String::new()),
            parent: None,
            map: None,
            node: None,
        }
    }
}

/// Where a key that is not a field of its place belongs: a neighbouring level, at one mapping
/// (`target`), or described when which mapping is meant is not known.
#[derive(Debug, Clone)]
pub struct Home {
    pub level: Level,
    pub fields: &'static FieldSet,
    /// How messages name it: "the pod spec", "a container".
    pub name: String,
    /// Where the key should stand, as a dotted path without the key: `spec.template.spec`,
    /// `spec.containers[]`; empty when not even that is known.
    pub display: String,
    /// The mapping to move the key into, when that is unambiguous (it may not exist yet).
    pub target: Option<String>,
    pub why: Why,
}

/// The places of one object, and their neighbours.
pub struct Levels<'o> {
    object: &'o Object<'o>,
    kind: WorkloadKind,
    places: Vec<Place<'o>>,
}

impl<'o> Levels<'o> {
    /// The levels of a pod-bearing object; `None` for other kinds, or when the object is not
    /// a mapping.
    pub fn of(object: &'o Object<'o>) -> Option<Levels<'o>> {
        // A custom resource's spec has no model here: only its pod spec is checked.
        let kind = WorkloadKind::of(object).filter(|k| k.is_builtin())?;
        object.node.as_map()?;
        let mut levels = Levels {
            object,
            kind,
            places: Vec::new(),
        };
        levels.walk();
        Some(levels)
    }

    pub fn kind(&self) -> WorkloadKind {
        self.kind
    }

    /// The object as JSON.
    pub fn root(&self) -> &'o Value {
        self.object.value()
    }

    /// Every place, parents before children, in the table's order.
    pub fn places(&self) -> &[Place<'o>] {
        &self.places
    }

    /// The place a place stands in.
    pub fn parent(&self, place: &Place) -> Option<&Place<'o>> {
        place.parent.map(|i| &self.places[i])
    }

    /// The fields of a place's level there.
    pub fn fields(&self, place: &Place) -> &'static FieldSet {
        row(place.level).fields(place)
    }

    /// The mapping at a pointer.
    pub fn map(&self, ptr: &str) -> Option<&'o Map<String, Value>> {
        lookup(self.root(), ptr).and_then(Value::as_object)
    }

    /// The keys of a place's mapping in the order they are written.
    pub fn keys(&self, place: &Place<'o>) -> Vec<&'o str> {
        written_keys(place.map, place.node)
    }

    /// Where a key that is not a field of `place` may belong, in the order to try them.
    pub fn neighbours(&self, place: &Place) -> Vec<Home> {
        let mut homes = Vec::new();
        for near in row(place.level).neighbours {
            match *near {
                Near::OwnSpec => homes.extend(
                    shape(self.kind)
                        .iter()
                        .find(|s| s.pointer == "/spec")
                        .map(|s| self.spot_home(s, None)),
                ),
                Near::WorkloadSpecs => homes.extend(
                    shape(self.kind)
                        .iter()
                        .rev()
                        .filter(|s| s.level == Level::WorkloadSpec && s.pointer != place.pointer)
                        .map(|s| self.spot_home(s, None)),
                ),
                Near::To(level, why) => homes.extend(self.home(place, level, why)),
            }
        }
        homes
    }

    /// Find every place: the levels of the workload's shape, then the levels below each.
    fn walk(&mut self) {
        let mut seen: Vec<&str> = Vec::new();
        for r in LEVELS.iter().filter(|r| matches!(r.reach, Reach::Shape)) {
            for spot in shape(self.kind).iter().filter(|s| s.level == r.level) {
                let Some(map) = self.map(spot.pointer) else {
                    continue;
                };
                if seen.contains(&spot.pointer) {
                    continue;
                }
                seen.push(spot.pointer);
                let node = self
                    .object
                    .node
                    .walk(spot.pointer.split('/').skip(1))
                    .map(|(n, _)| n);
                let place = Place {
                    map: Some(map),
                    node,
                    ..self.spot_place(spot)
                };
                self.places.push(place);
                self.walk_below(self.places.len() - 1);
            }
        }
    }

    /// Find the places below the place at `parent` (and below those, depth first).
    fn walk_below(&mut self, parent: usize) {
        for r in LEVELS {
            let Reach::Below(level, steps) = r.reach else {
                continue;
            };
            if level != self.places[parent].level {
                continue;
            }
            for found in follow(&self.places[parent], steps) {
                let place = self.place(r.level, found, parent);
                self.places.push(place);
                self.walk_below(self.places.len() - 1);
            }
        }
    }

    /// The pointer of the mapping at `key` of the mapping at `ptr`.
    fn mapping(&self, ptr: &str, key: &str) -> Option<String> {
        let q = pointer::push(ptr, key);
        self.map(&q).map(|_| q)
    }

    /// The mappings among the items of the list at `key` of the mapping at `ptr`, with their
    /// indexes.
    fn items<'a>(&'a self, ptr: &str, key: &str) -> impl Iterator<Item = (String, usize)> + 'a {
        let list = pointer::push(ptr, key);
        let items = lookup(self.root(), &list)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        items
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_object())
            .map(move |(i, _)| (pointer::push_index(&list, i), i))
    }

    /// The index of the list's only mapping, if it has exactly one.
    fn only_mapping(&self, ptr: &str, key: &str) -> Option<usize> {
        let mut items = self.items(ptr, key);
        let (_, i) = items.next()?;
        items.next().is_none().then_some(i)
    }

    /// The place at a spot of the workload's shape.
    fn spot_place(&self, spot: &Spot) -> Place<'o> {
        let kind = spot.spec_of.unwrap_or(self.kind);
        Place {
            level: spot.level,
            pointer: spot.pointer.to_string(),
            kind,
            key: None,
            index: None,
            name: Some(here_name(spot.level, kind, None, None, "")),
            parent: None,
            map: None,
            node: None,
        }
    }

    /// A place of `level` found below the place at `parent` (named on demand).
    fn place(&self, level: Level, found: Found<'o>, parent: usize) -> Place<'o> {
        Place {
            level,
            pointer: found.ptr,
            kind: self.kind,
            key: found.key,
            index: found.index,
            name: None,
            parent: Some(parent),
            map: Some(found.map),
            node: found.node,
        }
    }

    /// How messages name a place where it stands ("container `web`", "its `livenessProbe`").
    pub fn name<'p>(&'p self, place: &'p Place<'o>) -> std::borrow::Cow<'p, str> {
        if let Some(name) = &place.name {
            return name.as_str().into();
        }
        let parent = place.parent.map(|i| self.name(&self.places[i]));
        self.named(
            place.level,
            place.map,
            place.key.as_deref(),
            place.index,
            parent.as_deref().unwrap_or(""),
        )
        .into()
    }

    /// How messages name the mapping of `level` (`map`) where it stands.
    fn named(
        &self,
        level: Level,
        map: Option<&Map<String, Value>>,
        key: Option<&str>,
        index: Option<usize>,
        parent: &str,
    ) -> String {
        let own = map
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            .map(|n| format!("`{n}`"));
        let label = match level {
            Level::Container => own.or_else(|| Some(format!("#{}", index.unwrap_or(0) + 1))),
            Level::Volume | Level::EnvVar | Level::ContainerPort => own,
            _ => None,
        };
        here_name(level, self.kind, key, label.as_deref(), parent)
    }

    /// The home at a spot of the workload's shape.
    fn spot_home(&self, spot: &Spot, why: Option<Why>) -> Home {
        let place = self.spot_place(spot);
        Home {
            level: spot.level,
            fields: row(spot.level).fields(&place),
            name: place.name.unwrap_or_default(),
            display: dotted(spot.pointer),
            target: Some(spot.pointer.to_string()),
            why: why.unwrap_or(row(spot.level).why),
        }
    }

    /// The places `place` stands in, nearest first.
    fn ancestors<'a>(&'a self, place: &'a Place<'o>) -> impl Iterator<Item = &'a Place<'o>> + 'a {
        std::iter::successors(self.parent(place), move |p| self.parent(p))
    }

    /// The home of `level` for a key standing at `here`.
    fn home(&self, here: &Place, level: Level, why: Option<Why>) -> Option<Home> {
        let r = row(level);
        if let Reach::Shape = r.reach {
            let spot = shape(self.kind).iter().find(|s| s.level == level)?;
            return Some(self.spot_home(spot, why));
        }
        let why = why.unwrap_or(r.why);
        // A mapping of that level encloses the key.
        if let Some(a) = self.ancestors(here).find(|a| a.level == level) {
            return Some(Home {
                level,
                fields: r.fields(a),
                name: above_name(level, a.key.as_deref())
                    .unwrap_or_else(|| self.name(a).into_owned()),
                display: dotted(&a.pointer),
                target: Some(a.pointer.clone()),
                why,
            });
        }
        // Below the nearest mapping (here or around it) of a level it stands below.
        let chain = lineage(level);
        let (base, depth) = std::iter::once(here)
            .chain(self.ancestors(here))
            .find_map(|a| Some((a, chain.iter().position(|l| *l == a.level)?)))?;
        let mut path = chain[..depth].to_vec();
        path.reverse();
        self.descend(here, base, &path, why)
    }

    /// The home of the last of `path` (levels each below the one before, the first below
    /// `base`), reached from `base` for a key standing at `here`. Its mapping is known when
    /// the way down crosses at most one list and that list has one mapping, and picks one of
    /// several keys only when one of them is written; otherwise the home is described.
    fn descend(&self, here: &Place, base: &Place, path: &[Level], why: Why) -> Option<Home> {
        let level = *path.last()?;
        let steps: Vec<(Level, Step)> = path
            .iter()
            .flat_map(|l| below_steps(*l).iter().map(move |s| (*l, *s)))
            .collect();
        let lists = steps.iter().filter(|(_, s)| s.list().is_some()).count();
        let mut at = base.clone();
        let mut ptr = base.pointer.clone();
        let (mut key, mut index) = (None, None);
        for (i, &(l, step)) in steps.iter().enumerate() {
            match self.step_down(&ptr, step, lists) {
                Down::To(next, k, n) => {
                    ptr = next;
                    key = k.or(key);
                    index = n.or(index);
                }
                Down::Unknown => {
                    let rest = described(&steps[i..]);
                    return Some(self.described_home(level, &at, &ptr, &rest, why));
                }
                Down::Probes(named) => return Some(probes_home(level, &named, why)),
                Down::Nowhere => return None,
            }
            // The last step of a level: the way down is at one of its mappings.
            if steps.get(i + 1).is_none_or(|(next, _)| *next != l) {
                let map = self.map(&ptr);
                let name = self.named(l, map, key.as_deref(), index, &self.name(&at));
                at = Place {
                    level: l,
                    pointer: ptr.clone(),
                    kind: self.kind,
                    key: key.take(),
                    index: index.take(),
                    name: Some(name),
                    parent: None,
                    map,
                    node: None,
                };
            }
        }
        // Found below the key's own mapping: named from there ("its `livenessProbe`").
        let below = std::ptr::eq(base, here);
        let list = below_steps(level).iter().find_map(|s| s.list());
        let name = below
            .then(|| below_name(level, at.key.as_deref(), list))
            .flatten()
            .unwrap_or_else(|| self.name(&at).into_owned());
        Some(Home {
            level,
            fields: row(level).fields(&at),
            name,
            display: dotted(&ptr),
            target: Some(ptr),
            why,
        })
    }

    /// One step down from the mapping at `ptr`, on a way that crosses `lists` lists.
    fn step_down(&self, ptr: &str, step: Step, lists: usize) -> Down {
        match step {
            Step::Key(k) => Down::To(pointer::push(ptr, k), None, None),
            Step::AnyKey(keys) => {
                let written: Vec<&'static str> = keys
                    .iter()
                    .copied()
                    .filter(|k| self.mapping(ptr, k).is_some())
                    .collect();
                match written.as_slice() {
                    [one] => Down::To(pointer::push(ptr, one), Some(one.to_string()), None),
                    // Several are written, or none: name them, and leave the choice.
                    _ if written.len() >= 2 => Down::Probes(written),
                    _ => Down::Probes(keys.to_vec()),
                }
            }
            Step::Member(family) => {
                let members = family.of(fields());
                let written: Vec<&String> = self
                    .map(ptr)
                    .into_iter()
                    .flat_map(|m| m.keys())
                    .filter(|k| members.contains_key(k))
                    .collect();
                match written.as_slice() {
                    [one] => Down::To(pointer::push(ptr, one), Some(one.to_string()), None),
                    _ => Down::Nowhere,
                }
            }
            Step::Containers | Step::Item(_) | Step::AnyItem(_) => {
                let list = step.list().unwrap_or_default();
                let only = match step {
                    Step::AnyItem(_) => None,
                    _ if lists > 1 => None,
                    _ => self.only_mapping(ptr, list),
                };
                let Some(n) = only else {
                    return Down::Unknown;
                };
                let key = matches!(step, Step::Containers).then(|| list.to_string());
                Down::To(pointer::join(ptr, &[list, &n.to_string()]), key, Some(n))
            }
        }
    }

    /// A home whose mapping is not known: named for its level, and where it is as a dotted
    /// path with `[]` for the lists (`spec.containers[].securityContext`). `at` is the last
    /// mapping known on the way, at `ptr`; `rest` the rest of the way.
    fn described_home(&self, level: Level, at: &Place, ptr: &str, rest: &str, why: Why) -> Home {
        let list = below_steps(level).iter().find_map(|s| s.list());
        let fields_at = Place {
            key: list.map(str::to_string),
            ..Place::bare(level)
        };
        Home {
            level,
            fields: row(level).fields(&fields_at),
            name: generic_name(level, list, at.level == Level::Container),
            display: format!("{}{rest}", dotted(ptr))
                .trim_start_matches('.')
                .into(),
            target: None,
            why,
        }
    }
}

/// The way down where a step is not known to lead to one mapping.
enum Down {
    /// To this mapping, picked by this key, at this index of its list.
    To(String, Option<String>, Option<usize>),
    /// To a list item not known.
    Unknown,
    /// To one of these probes, not known which.
    Probes(Vec<&'static str>),
    /// Nowhere: which member of a family is meant is not known.
    Nowhere,
}

/// The rest of a way down as a dotted path, with `[]` for the lists: `.containers[].ports[]`.
fn described(steps: &[(Level, Step)]) -> String {
    steps
        .iter()
        .map(|(_, step)| match *step {
            Step::Key(k) => format!(".{k}"),
            other => other
                .list()
                .map(|list| format!(".{list}[]"))
                .unwrap_or_default(),
        })
        .collect()
}

/// The home of a container's probe when which probe is meant is not known: the probes
/// written, or all of them.
fn probes_home(level: Level, named: &[&str], why: Why) -> Home {
    Home {
        level,
        fields: row(level).fields(&Place::bare(level)),
        name: format!("a probe ({})", one_of(named, "or")),
        display: String::new(),
        target: None,
        why,
    }
}

/// A mapping found on the way down from a place: its pointer, the mapping and its node, the
/// key that picked it among alternatives, and its index in its list.
struct Found<'o> {
    ptr: String,
    map: &'o Map<String, Value>,
    node: Option<&'o Node>,
    key: Option<String>,
    index: Option<usize>,
}

impl<'o> Found<'o> {
    /// The mapping at key `k`, if one is written there, picked by `key()` (called only then).
    fn child(&self, k: &str, key: impl FnOnce() -> Option<String>) -> Option<Found<'o>> {
        let map = self.map.get(k)?.as_object()?;
        let key = key();
        Some(Found {
            ptr: pointer::push(&self.ptr, k),
            map,
            node: self.node.and_then(|n| n.get(k)).map(|e| &e.value),
            key,
            index: self.index,
        })
    }

    /// The mappings among the items of the list at `list`, picked by `key`.
    fn items(&self, list: &str, key: Option<String>, out: &mut Vec<Found<'o>>) {
        let Some(items) = self.map.get(list).and_then(Value::as_array) else {
            return;
        };
        let nodes = self
            .node
            .and_then(|n| n.get(list))
            .and_then(|e| e.value.as_seq());
        for (i, item) in items.iter().enumerate() {
            let Some(map) = item.as_object() else {
                continue;
            };
            out.push(Found {
                ptr: pointer::push_item(&self.ptr, list, i),
                map,
                node: nodes.and_then(|n| n.get(i)),
                key: key.clone(),
                index: Some(i),
            });
        }
    }
}

/// The mappings `steps` lead to from the mapping of `from`.
fn follow<'o>(from: &Place<'o>, steps: &[Step]) -> Vec<Found<'o>> {
    let Some(map) = from.map else {
        return Vec::new();
    };
    // Most steps lead nowhere (no `affinity`, no `lifecycle`): say so before building
    // anything.
    let written = |k: &str| map.get(k).is_some_and(|v| v.is_object() || v.is_array());
    let leads_somewhere = match steps.first() {
        None => true,
        Some(Step::Key(k) | Step::Item(k) | Step::AnyItem(k)) => written(k),
        Some(Step::AnyKey(keys)) => keys.iter().any(|k| written(k)),
        Some(Step::Containers) => ContainerRole::ALL.iter().any(|r| written(r.field())),
        Some(Step::Member(_)) => true,
    };
    if !leads_somewhere {
        return Vec::new();
    }
    let mut at = vec![Found {
        ptr: from.pointer.clone(),
        map,
        node: from.node,
        key: None,
        index: None,
    }];
    for step in steps {
        let mut next = Vec::new();
        for f in at {
            match *step {
                Step::Key(k) => next.extend(f.child(k, || f.key.clone())),
                Step::AnyKey(keys) => next.extend(
                    keys.iter()
                        .filter_map(|k| f.child(k, || Some(k.to_string()))),
                ),
                Step::Containers => {
                    for role in ContainerRole::ALL {
                        f.items(role.field(), Some(role.field().to_string()), &mut next);
                    }
                }
                Step::Item(list) | Step::AnyItem(list) => f.items(list, f.key.clone(), &mut next),
                Step::Member(family) => {
                    let members = family.of(fields());
                    for k in f.map.keys().filter(|k| members.contains_key(k)) {
                        next.extend(f.child(k, || Some(k.clone())));
                    }
                }
            }
        }
        at = next;
    }
    at
}

/// The keys of the mapping at `ptr` of an object in the order they are written, each once;
/// keys merged from elsewhere (`<<`) come last.
pub fn keys_in_order<'o>(object: &'o Object, ptr: &str) -> Vec<&'o str> {
    let map = lookup(object.value(), ptr).and_then(Value::as_object);
    let node = object.node.walk(pointer::each_token(ptr)).map(|(n, _)| n);
    written_keys(map, node)
}

/// The keys of `map` in the order `node` writes them, each once; keys not written there
/// (merged from elsewhere) come last.
fn written_keys<'o>(map: Option<&'o Map<String, Value>>, node: Option<&'o Node>) -> Vec<&'o str> {
    let Some(map) = map else {
        return Vec::new();
    };
    let Some(entries) = node.and_then(Node::as_map) else {
        return map.keys().map(String::as_str).collect();
    };
    let mut keys: Vec<&str> = Vec::with_capacity(map.len());
    // A key written twice is rare: look back through a short mapping, use a set for a long one.
    let mut seen = BTreeSet::new();
    let long = entries.len() > 16;
    for e in entries {
        let key = e.key.as_str();
        let first = if long {
            seen.insert(key)
        } else {
            !keys.contains(&key)
        };
        if first && map.contains_key(key) {
            keys.push(key);
        }
    }
    if keys.len() < map.len() {
        let written = keys.len();
        for k in map.keys() {
            let written_there = if long {
                seen.contains(k.as_str())
            } else {
                keys[..written].contains(&k.as_str())
            };
            if !written_there {
                keys.push(k);
            }
        }
    }
    keys
}

/// The steps below its parent of a level reached that way (none for the levels of the
/// workload's shape).
fn below_steps(level: Level) -> &'static [Step] {
    match row(level).reach {
        Reach::Below(_, steps) => steps,
        Reach::Shape => &[],
    }
}

/// A level and the levels above it, nearest first, up to one of the workload's shape.
fn lineage(level: Level) -> Vec<Level> {
    let mut chain = vec![level];
    while let Reach::Below(parent, _) = row(*chain.last().unwrap_or(&level)).reach {
        chain.push(parent);
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::objects_of;
    use crate::source::yaml::parse_one;

    /// The places of the first object of `text`, each as (level, pointer, name).
    fn places(text: &str) -> Vec<(Level, String, String)> {
        let root = parse_one(text).expect("document");
        let objects = objects_of(0, &root);
        let levels = Levels::of(&objects[0]).expect("a workload");
        levels
            .places()
            .iter()
            .map(|p| (p.level, p.pointer.clone(), levels.name(p).into_owned()))
            .collect()
    }

    /// The neighbours of the place at `at`, each as (name, display, target).
    fn homes(text: &str, at: &str) -> Vec<(String, String, Option<String>)> {
        let root = parse_one(text).expect("document");
        let objects = objects_of(0, &root);
        let levels = Levels::of(&objects[0]).expect("a workload");
        let place = levels
            .places()
            .iter()
            .find(|p| p.pointer == at)
            .expect("a place");
        levels
            .neighbours(place)
            .into_iter()
            .map(|h| (h.name, h.display, h.target))
            .collect()
    }

    fn home(name: &str, display: &str, target: Option<&str>) -> (String, String, Option<String>) {
        (name.into(), display.into(), target.map(str::to_string))
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      securityContext: {}\n      volumes:\n      - name: data\n        emptyDir: {}\n      initContainers:\n      - name: setup\n      containers:\n      - name: web\n        livenessProbe:\n          httpGet: {path: /}\n        volumeMounts:\n        - {name: data, mountPath: /d}\n        env:\n        - name: A\n          valueFrom: {}\n      - image: x\n";

    #[test]
    fn every_mapping_of_a_level_is_a_place() {
        let got = places(DEPLOYMENT);
        let levels: Vec<Level> = got.iter().map(|p| p.0).collect();
        use Level::*;
        assert_eq!(
            levels,
            vec![
                Object,
                WorkloadSpec,
                PodTemplate,
                PodMetadata,
                ObjectMeta,
                PodSpec,
                PodSecurityContext,
                Volume,
                VolumeSource,
                Container,
                Container,
                Probe,
                ProbeHandler,
                VolumeMount,
                EnvVar,
                EnvVarSource,
                Container,
            ]
        );
        let names: Vec<&str> = got.iter().map(|p| p.2.as_str()).collect();
        assert!(names.contains(&"the Deployment spec"));
        assert!(names.contains(&"init container `setup`"));
        assert!(names.contains(&"container #2"));
        assert!(names.contains(&"the volume's `emptyDir` source"));
        assert!(names.contains(&"its `httpGet` handler"));
        assert!(names.contains(&"the `valueFrom` of variable `A`"));
        assert_eq!(got[8].1, "/spec/template/spec/volumes/0/emptyDir");
    }

    #[test]
    fn a_pods_metadata_is_walked_once() {
        let got = places("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n");
        assert_eq!(
            got,
            vec![
                (
                    Level::Object,
                    String::new(),
                    "the top level of the object".into()
                ),
                (
                    Level::PodMetadata,
                    "/metadata".into(),
                    "the Pod's metadata".into()
                ),
                (Level::PodSpec, "/spec".into(), "the pod spec".into()),
            ]
        );
    }

    #[test]
    fn neighbours_are_one_mapping_when_that_is_known() {
        // Two main containers: a container field in the pod spec goes to "a container".
        let spec = "/spec/template/spec";
        let got = homes(DEPLOYMENT, spec);
        assert_eq!(
            got[0],
            home("a container", "spec.template.spec.containers[]", None)
        );
        assert_eq!(
            got[1],
            home(
                "the pod's securityContext",
                "spec.template.spec.securityContext",
                Some("/spec/template/spec/securityContext")
            )
        );
        assert_eq!(
            got[2],
            home(
                "the container's securityContext",
                "spec.template.spec.containers[].securityContext",
                None
            )
        );
        assert_eq!(got[3].0, "the Deployment spec");
        assert_eq!(got[4].0, "the pod template's metadata");
        assert_eq!(
            got[5],
            home("a volume of the pod", "spec.template.spec.volumes[]", None)
        );

        let web = "/spec/template/spec/containers/0";
        let got = homes(DEPLOYMENT, web);
        let names: Vec<&str> = got.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "the pod spec",
                "container `web`'s securityContext",
                "the pod's securityContext",
                "its `livenessProbe`",
                "the only entry of `volumeMounts`",
                "the only entry of `env`",
                "an entry of `ports`",
            ]
        );
        assert_eq!(
            got[1].2.as_deref(),
            Some("/spec/template/spec/containers/0/securityContext")
        );
        assert_eq!(got[6].1, "spec.template.spec.containers[0].ports[]");

        // From a volume: its one source, and the mounts of any container.
        let got = homes(DEPLOYMENT, "/spec/template/spec/volumes/0");
        assert_eq!(got[0].0, "the volume's `emptyDir` source");
        assert_eq!(
            got[1],
            home(
                "a container's volumeMounts",
                "spec.template.spec.containers[].volumeMounts[]",
                None
            )
        );
        // From a handler: the probe around it; from a mount: any volume, and its container.
        let got = homes(
            DEPLOYMENT,
            "/spec/template/spec/containers/0/livenessProbe/httpGet",
        );
        assert_eq!(got[0].0, "the `livenessProbe`");
        let got = homes(
            DEPLOYMENT,
            "/spec/template/spec/containers/0/volumeMounts/0",
        );
        assert_eq!(
            got[0],
            home("a volume of the pod", "spec.template.spec.volumes[]", None)
        );
        assert_eq!(got[1].0, "container `web`");
    }

    #[test]
    fn a_single_container_and_probe_are_the_homes() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    readinessProbe: {exec: {}}\n    startupProbe: {exec: {}}\n  - 7\n";
        let got = homes(text, "/spec");
        assert_eq!(
            got[0],
            home(
                "container `c`",
                "spec.containers[0]",
                Some("/spec/containers/0")
            )
        );
        assert_eq!(got[2].0, "container `c`'s securityContext");
        // A Pod's spec has no workload spec around it; its metadata is the Pod's.
        assert_eq!(got[3].0, "the Pod's metadata");
        let got = homes(text, "/spec/containers/0");
        assert_eq!(
            got[3],
            home("a probe (`readinessProbe` or `startupProbe`)", "", None)
        );
        // The top level: the object's spec (here the pod spec) and metadata.
        let got = homes(text, "");
        assert_eq!(got[0], home("the pod spec", "spec", Some("/spec")));
        assert_eq!(
            got[1],
            home("the object's metadata", "metadata", Some("/metadata"))
        );
    }

    #[test]
    fn a_cronjob_has_two_workload_specs() {
        let text = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec: {}\n";
        let names =
            |at: &str| -> Vec<String> { homes(text, at).into_iter().map(|h| h.0).collect() };
        assert_eq!(
            names("/spec/jobTemplate/spec/template/spec")[3..],
            [
                "the Job spec",
                "the CronJob spec",
                "the pod template's metadata",
                "a volume of the pod"
            ]
        );
        assert_eq!(
            names("/spec"),
            ["the pod spec", "the pod template", "the Job spec"]
        );
        assert_eq!(
            names("/spec/jobTemplate/spec"),
            ["the pod spec", "the pod template", "the CronJob spec"]
        );
        assert_eq!(
            names("/spec/jobTemplate"),
            ["the Job spec", "the CronJob spec", "the pod spec"]
        );
        assert_eq!(names(""), ["the CronJob spec", "the object's metadata"]);
        assert_eq!(names("/metadata"), ["the CronJob spec"]);
    }

    #[test]
    fn a_family_member_is_a_home_only_when_it_is_the_one_written() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  volumes:\n  - {name: a, configMap: {}, secret: {}}\n  - {name: b, hostPath: null}\n";
        let got = homes(text, "/spec/volumes/0");
        assert_eq!(got.len(), 1, "{got:?}");
        let got = homes(text, "/spec/volumes/1");
        assert_eq!(
            got[0],
            home(
                "the volume's `hostPath` source",
                "spec.volumes[1].hostPath",
                Some("/spec/volumes/1/hostPath")
            )
        );
    }

    #[test]
    fn written_keys_each_once_in_file_order() {
        let owned = |v: &[&str]| -> Vec<String> { v.iter().map(|s| s.to_string()).collect() };
        // Longer than the mappings whose repeated keys are found by looking back.
        let long: String = (0..20).rev().map(|i| format!("k{i}: 1\n")).collect();
        let long_keys: Vec<String> = (0..20).rev().map(|i| format!("k{i}")).collect();
        for (text, want) in [
            ("{b: 1, a: 2, c: 3}".to_string(), owned(&["b", "a", "c"])),
            ("{}".to_string(), vec![]),
            // A key written twice counts once, where it is first written.
            ("{b: 1, a: 2, b: 3}".to_string(), owned(&["b", "a"])),
            (format!("{long}k5: 2\n"), long_keys.clone()),
            (long, long_keys),
            // Merged keys are in the mapping but not written in it: they come last.
            (
                "base: &b {x: 1}\nz: 2\n<<: *b\n".to_string(),
                owned(&["base", "z", "x"]),
            ),
        ] {
            let node = parse_one(&text).expect("document");
            let value = node.to_json();
            let got = written_keys(value.as_object(), Some(&node));
            assert_eq!(got, want, "{text}");
            let mut sorted = got.clone();
            sorted.sort_unstable();
            let all: Vec<&str> = value
                .as_object()
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let mut all_sorted = all.clone();
            all_sorted.sort_unstable();
            assert_eq!(sorted, all_sorted, "{text}: every key once");
            // Without the written mapping: the mapping's own order.
            assert_eq!(written_keys(value.as_object(), None), all);
        }
        assert!(written_keys(None, None).is_empty());
    }

    #[test]
    fn keys_come_in_written_order() {
        let root = parse_one(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {zeta: 1, alpha: 2, mid: 3}\n",
        )
        .expect("document");
        let objects = objects_of(0, &root);
        let levels = Levels::of(&objects[0]).expect("a workload");
        let spec = levels
            .places()
            .iter()
            .find(|p| p.pointer == "/spec")
            .expect("the pod spec");
        assert_eq!(levels.keys(spec), ["zeta", "alpha", "mid"]);
        assert_eq!(
            keys_in_order(&objects[0], "/spec"),
            ["zeta", "alpha", "mid"]
        );
        assert!(keys_in_order(&objects[0], "/nothing").is_empty());
        assert!(Levels::of(
            &objects_of(
                0,
                &parse_one("apiVersion: v1\nkind: Service\n").expect("document")
            )[0]
        )
        .is_none());
    }
}
