//! Lenient typed deserialization: read a JSON value into a `k8s-openapi` type even when parts
//! of it have the wrong type, by leaving out exactly the parts that do not fit.
//!
//! A single type error (`containerPort: "80"`, `tty: "yes"`) must not hide a whole pod spec
//! from the rules: the `schema` finding reports the error, and every other rule should still
//! see everything that is well typed. [`lenient`] first tries the plain, fast deserialization;
//! when it fails it deserializes again through a deserializer that records *where* the error
//! arose (the JSON pointer of the value that did not fit), removes that subtree, and tries
//! again. An error in a leaf removes the leaf; when that leaves a required field missing, the
//! next error names the enclosing object, which is removed in turn — so only the smallest
//! subtree that cannot be read is dropped.
//!
//! A scalar where a string is expected (`name: n`, which YAML 1.1 reads as `false`;
//! `command: [sleep, 3600]`) is read as its text instead of being dropped: the `schema`
//! finding says what is wrong, and the rules see what the author wrote.
//!
//! Removing an element of a list shifts the elements after it. [`Pruned`] remembers which
//! elements were removed from which list, so that an index in the typed value maps back to
//! the element's index in the original document ([`Pruned::item`]) and pointers stay right.

use crate::pointer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// At most this many subtrees are removed before giving up on a value.
const MAX_REMOVALS: usize = 256;

/// What was left out of a value to read it, in the value's own (original) coordinates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pruned {
    /// Pointers (relative to the value) of every subtree left out.
    pub removed: Vec<String>,
    /// For each list (its pointer in the original value) that lost elements: the original
    /// indices removed, sorted.
    dropped: BTreeMap<String, Vec<usize>>,
}

impl Pruned {
    /// Whether nothing was left out.
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty()
    }

    /// The original index of the `index`-th element that remains in the list at `list`
    /// (a pointer in original coordinates).
    pub fn original_index(&self, list: &str, index: usize) -> usize {
        let Some(gone) = self.dropped.get(list) else {
            return index;
        };
        let mut seen = 0;
        let mut i = 0;
        loop {
            if gone.binary_search(&i).is_err() {
                if seen == index {
                    return i;
                }
                seen += 1;
            }
            i += 1;
        }
    }

    /// Pointer of the `index`-th remaining element of the list at `list`, both in original
    /// coordinates: `item("/containers/0/env", 2)` is `/containers/0/env/3` when the second
    /// variable was left out.
    pub fn item(&self, list: &str, index: usize) -> String {
        pointer::push(list, self.original_index(list, index).to_string())
    }

    /// Translate a pointer into the pruned value to the original value's coordinates.
    fn to_original(&self, tokens: &[String]) -> String {
        let mut out = String::new();
        for t in tokens {
            let mapped = match t.parse::<usize>() {
                Ok(i) if self.dropped.contains_key(&out) => {
                    self.original_index(&out, i).to_string()
                }
                _ => t.clone(),
            };
            out = pointer::push(&out, mapped);
        }
        out
    }

    /// Record the removal of the subtree at `tokens` (pruned coordinates) of `work`, and
    /// remove it. `false` when there is nothing to remove there (or it is the root).
    fn remove(&mut self, work: &mut Value, tokens: &[String]) -> bool {
        let Some((last, parent_tokens)) = tokens.split_last() else {
            return false;
        };
        let original = self.to_original(tokens);
        let original_parent = self.to_original(parent_tokens);
        let mut parent = &mut *work;
        for t in parent_tokens {
            parent = match parent {
                Value::Object(m) => match m.get_mut(t) {
                    Some(v) => v,
                    None => return false,
                },
                Value::Array(a) => match t.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                    Some(v) => v,
                    None => return false,
                },
                _ => return false,
            };
        }
        let done = match parent {
            Value::Object(m) => m.remove(last).is_some(),
            Value::Array(a) => match last.parse::<usize>() {
                Ok(i) if i < a.len() => {
                    a.remove(i);
                    let index = pointer::split_last(&original)
                        .and_then(|(_, t)| t.parse::<usize>().ok())
                        .unwrap_or(i);
                    let gone = self.dropped.entry(original_parent).or_default();
                    if let Err(at) = gone.binary_search(&index) {
                        gone.insert(at, index);
                    }
                    true
                }
                _ => false,
            },
            _ => false,
        };
        if done {
            self.removed.push(original);
        }
        done
    }
}

/// Read `value` as a `T`, leaving out the subtrees that do not fit. Returns the typed value,
/// the value it was read from (the original, with the unreadable subtrees removed) and what
/// was removed; `None` when even the top level cannot be read.
pub fn lenient<T: DeserializeOwned>(value: &Value) -> Option<(T, Pruned)> {
    if let Ok(t) = T::deserialize(value) {
        return Some((t, Pruned::default()));
    }
    let (t, _, pruned) = lenient_value::<T>(value.clone())?;
    Some((t, pruned))
}

/// Like [`lenient`], also returning the pruned value (whose lists are indexed like the typed
/// value's). Always takes the slow path.
pub fn lenient_value<T: DeserializeOwned>(mut work: Value) -> Option<(T, Value, Pruned)> {
    let mut pruned = Pruned::default();
    for _ in 0..MAX_REMOVALS {
        match T::deserialize(Tracked {
            value: &work,
            path: Vec::new(),
        }) {
            Ok(t) => return Some((t, work, pruned)),
            Err(e) => {
                let path = e.path.unwrap_or_default();
                if !pruned.remove(&mut work, &path) {
                    return None;
                }
            }
        }
    }
    None
}

/// A deserialization error with the path (in the value being read) where it arose.
#[derive(Debug)]
pub struct Located {
    path: Option<Vec<String>>,
    message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "/{}: {}", p.join("/"), self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Located {}

impl de::Error for Located {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        Located {
            path: None,
            message: msg.to_string(),
        }
    }
}

impl Located {
    /// Attach `path` unless a deeper value already did.
    fn at(mut self, path: &[String]) -> Self {
        if self.path.is_none() {
            self.path = Some(path.to_vec());
        }
        self
    }
}

/// A deserializer over a `serde_json::Value` that locates its errors.
struct Tracked<'v> {
    value: &'v Value,
    path: Vec<String>,
}

impl<'v> Tracked<'v> {
    fn child(&self, value: &'v Value, token: String) -> Tracked<'v> {
        let mut path = self.path.clone();
        path.push(token);
        Tracked { value, path }
    }

    fn visit<'de, V: Visitor<'de>>(&self, visitor: V) -> Result<V::Value, Located> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(0.0))
                }
            }
            Value::String(s) => visitor.visit_str(s),
            Value::Array(items) => visitor.visit_seq(Seq {
                parent: self,
                items,
                next: 0,
            }),
            Value::Object(map) => visitor.visit_map(MapAccess {
                parent: self,
                iter: map.iter(),
                value: None,
            }),
        }
    }
}

impl<'de, 'v> de::Deserializer<'de> for Tracked<'v> {
    type Error = Located;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Located> {
        self.visit(visitor).map_err(|e| e.at(&self.path))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Located> {
        let path = self.path.clone();
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| e.at(&path))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Located> {
        let path = self.path.clone();
        visitor.visit_newtype_struct(self).map_err(|e| e.at(&path))
    }

    /// A scalar where a string is expected is read as its text.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Located> {
        match self.value {
            Value::Bool(b) => visitor.visit_string(b.to_string()),
            Value::Number(n) => visitor.visit_string(n.to_string()),
            _ => self.visit(visitor),
        }
        .map_err(|e| e.at(&self.path))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Located> {
        self.deserialize_str(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Located> {
        match self.value {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => Err(de::Error::invalid_type(
                de::Unexpected::Other("a non-string value"),
                &"an enum variant name",
            )),
        }
        .map_err(|e: Located| e.at(&self.path))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Located> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct Seq<'a, 'v> {
    parent: &'a Tracked<'v>,
    items: &'v [Value],
    next: usize,
}

impl<'de> de::SeqAccess<'de> for Seq<'_, '_> {
    type Error = Located;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Located> {
        let Some(item) = self.items.get(self.next) else {
            return Ok(None);
        };
        let child = self.parent.child(item, self.next.to_string());
        self.next += 1;
        let path = child.path.clone();
        seed.deserialize(child).map(Some).map_err(|e| e.at(&path))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len() - self.next)
    }
}

struct MapAccess<'a, 'v> {
    parent: &'a Tracked<'v>,
    iter: serde_json::map::Iter<'v>,
    value: Option<(&'v String, &'v Value)>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, '_> {
    type Error = Located;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Located> {
        let Some((k, v)) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some((k, v));
        let key: de::value::StrDeserializer<'_, Located> = k.as_str().into_deserializer();
        seed.deserialize(key)
            .map(Some)
            .map_err(|e| e.at(&self.parent.path))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Located> {
        let Some((k, v)) = self.value.take() else {
            return Err(de::Error::custom("value without a key"));
        };
        let child = self.parent.child(v, k.clone());
        let path = child.path.clone();
        seed.deserialize(child).map_err(|e| e.at(&path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Container, PodSpec};
    use serde::Deserialize;
    use serde_json::json;

    #[test]
    fn a_well_typed_value_is_read_as_is() {
        let v = json!({"containers": [{"name": "a", "image": "x"}]});
        let (spec, pruned) = lenient::<PodSpec>(&v).expect("reads");
        assert!(pruned.is_empty());
        assert_eq!(spec.containers[0].name, "a");
    }

    #[test]
    fn a_bad_leaf_is_left_out_and_the_rest_kept() {
        let v = json!({"hostNetwork": true, "containers": [
            {"name": "a", "image": "nginx", "tty": "yes",
             "securityContext": {"runAsUser": "1000", "privileged": true}}]});
        let (spec, pruned) = lenient::<PodSpec>(&v).expect("reads");
        assert_eq!(spec.host_network, Some(true));
        let c = &spec.containers[0];
        assert_eq!(c.image.as_deref(), Some("nginx"));
        assert_eq!(c.tty, None);
        let sc = c.security_context.as_ref().expect("kept");
        assert_eq!((sc.run_as_user, sc.privileged), (None, Some(true)));
        let mut removed = pruned.removed.clone();
        removed.sort();
        assert_eq!(
            removed,
            [
                "/containers/0/securityContext/runAsUser",
                "/containers/0/tty"
            ]
        );
    }

    #[test]
    fn an_element_of_the_wrong_type_is_left_out_and_indices_map_back() {
        // k8s-openapi reads a missing required field as its default, so a bad
        // `containerPort` leaves a port 0 behind; a list element that is not even an
        // object is left out.
        let v = json!({"containers": [{"name": "a", "ports": [
            {"containerPort": "80"}, {"containerPort": 81}],
            "env": [{"name": "A", "value": "1"}, "B=2", {"name": "C", "value": "3"}]}]});
        let (spec, pruned) = lenient::<PodSpec>(&v).expect("reads");
        let c = &spec.containers[0];
        let ports = c.ports.as_ref().expect("ports");
        assert_eq!((ports[0].container_port, ports[1].container_port), (0, 81));
        let env = c.env.as_ref().expect("env");
        assert_eq!(env.len(), 2);
        assert_eq!(env[1].name, "C");
        assert_eq!(pruned.item("/containers/0/env", 1), "/containers/0/env/2");
        assert_eq!(pruned.item("/containers/0/env", 0), "/containers/0/env/0");
        assert_eq!(
            pruned.item("/containers/0/ports", 1),
            "/containers/0/ports/1"
        );
        let mut removed = pruned.removed.clone();
        removed.sort();
        assert_eq!(
            removed,
            ["/containers/0/env/1", "/containers/0/ports/0/containerPort"]
        );
    }

    #[test]
    fn a_scalar_where_a_string_is_expected_is_read_as_text() {
        let v = json!({"name": false, "command": ["sleep", 3600], "image": "busybox"});
        let (c, _) = lenient::<Container>(&v).expect("reads");
        assert_eq!(c.name, "false");
        assert_eq!(
            c.command,
            Some(vec!["sleep".to_string(), "3600".to_string()])
        );
    }

    #[test]
    fn elements_removed_from_several_places_keep_their_original_indices() {
        let v = json!({"containers": [
            {"name": "a", "env": ["x", 1, {"name": "OK"}, [], {"name": "LAST"}]},
            {"name": "b", "volumeMounts": [true, {"name": "w", "mountPath": "/w"}]}],
            "volumes": [{"name": "v", "emptyDir": {}}, "oops", {"name": "x", "hostPath": {"path": 1}}]});
        let (spec, pruned) = lenient::<PodSpec>(&v).expect("reads");
        assert_eq!(spec.containers[0].env.as_ref().map(Vec::len), Some(2));
        assert_eq!(pruned.item("/containers/0/env", 0), "/containers/0/env/2");
        assert_eq!(pruned.item("/containers/0/env", 1), "/containers/0/env/4");
        assert_eq!(
            pruned.item("/containers/1/volumeMounts", 0),
            "/containers/1/volumeMounts/1"
        );
        // `path: 1` is read as the text "1"; the volume that is a string is left out.
        let vols = spec.volumes.as_ref().expect("volumes");
        assert_eq!(vols.len(), 2);
        assert_eq!(pruned.item("/volumes", 1), "/volumes/2");
        assert_eq!(
            vols[1].host_path.as_ref().map(|h| h.path.as_str()),
            Some("1")
        );
    }

    #[test]
    fn an_unreadable_top_level_gives_nothing() {
        assert!(lenient::<PodSpec>(&json!("text")).is_none());
        assert!(lenient::<PodSpec>(&json!([1])).is_none());
    }

    fn value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(|n| json!(n)),
            "[a-z0-9]{0,4}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            let keys = prop::sample::select(vec![
                "name",
                "image",
                "containers",
                "env",
                "value",
                "ports",
                "containerPort",
                "volumes",
                "hostNetwork",
                "securityContext",
                "runAsUser",
                "command",
                "tty",
            ]);
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(keys, inner, 0..5).prop_map(|m| {
                    Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
                }),
            ]
        })
    }

    proptest::proptest! {
        /// Whatever the value, reading it leniently does not panic, and a value that reads
        /// as it is loses nothing.
        #[test]
        fn any_value_is_read_or_refused(v in value()) {
            let plain = PodSpec::deserialize(&v).is_ok();
            if let Some((_, pruned)) = lenient::<PodSpec>(&v) {
                proptest::prop_assert!(!plain || pruned.is_empty());
            }
        }
    }
}
