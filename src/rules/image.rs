//! Container image references, parsed the way the container runtime reads them:
//! `[registry[:port]/]repository[:tag][@digest]`. A colon before the last `/` belongs to a
//! registry port (`localhost:5000/app` has no tag), the first path component is a registry when
//! it contains `.` or `:` or is `localhost`.

/// The parts of an image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef<'a> {
    pub registry: Option<&'a str>,
    pub repository: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    /// Parse a reference; `None` when it is empty, templated (`$(VAR)`, `{{ }}`, `${X}`), a
    /// placeholder (`gcr.io/<project>/app`) or a build reference that a tool replaces with a
    /// pinned image before deployment (`ko://example.com/cmd/app`).
    pub fn parse(image: &'a str) -> Option<ImageRef<'a>> {
        let image = image.trim();
        if image.is_empty()
            || image.contains(['$', '{', '}', ' ', '<', '>'])
            || image.starts_with("ko://")
        {
            return None;
        }
        let (name, digest) = match image.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (image, None),
        };
        let last_slash = name.rfind('/');
        let (name, tag) = match name.rfind(':') {
            Some(colon) if last_slash.is_none_or(|s| colon > s) => {
                (&name[..colon], Some(&name[colon + 1..]))
            }
            _ => (name, None),
        };
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
                (Some(first), rest)
            }
            _ => (None, name),
        };
        Some(ImageRef {
            registry,
            repository,
            tag: tag.filter(|t| !t.is_empty()),
            digest: digest.filter(|d| !d.is_empty()),
        })
    }

    /// Neither a tag nor a digest: the runtime resolves `latest`.
    pub fn is_untagged(&self) -> bool {
        self.tag.is_none() && self.digest.is_none()
    }

    /// The `latest` tag without a digest pinning it.
    pub fn is_latest(&self) -> bool {
        self.digest.is_none() && self.tag == Some("latest")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ImageRef<'_> {
        ImageRef::parse(s).expect("parses")
    }

    #[test]
    fn registry_ports_are_not_tags() {
        let r = p("localhost:5000/app");
        assert_eq!(r.registry, Some("localhost:5000"));
        assert_eq!(r.repository, "app");
        assert!(r.is_untagged());
        let r = p("registry.example.com:5000/team/app:1.2");
        assert_eq!(r.registry, Some("registry.example.com:5000"));
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag, Some("1.2"));
    }

    #[test]
    fn build_references_are_not_images() {
        assert_eq!(
            ImageRef::parse("ko://knative.dev/serving/cmd/activator"),
            None
        );
        assert_eq!(ImageRef::parse("ko://github.com/example/app"), None);
    }

    #[test]
    fn digests_pin_even_with_latest() {
        let r = p("nginx@sha256:0123abcd");
        assert!(!r.is_untagged());
        assert_eq!(r.digest, Some("sha256:0123abcd"));
        let r = p("nginx:latest@sha256:0123abcd");
        assert!(!r.is_latest());
        assert_eq!(r.tag, Some("latest"));
        let r = p("localhost:5000/app@sha256:ff");
        assert_eq!(r.registry, Some("localhost:5000"));
        assert!(r.tag.is_none());
    }

    #[test]
    fn plain_names() {
        assert!(p("nginx").is_untagged());
        assert!(p("nginx:latest").is_latest());
        assert!(!p("nginx:1.25").is_latest());
        let r = p("library/nginx:1.25");
        assert_eq!(r.registry, None);
        assert_eq!(r.repository, "library/nginx");
        let r = p("gcr.io/proj/img");
        assert_eq!(r.registry, Some("gcr.io"));
        assert!(r.is_untagged());
        assert!(p("nginx:").is_untagged());
    }

    #[test]
    fn templated_or_empty_is_skipped() {
        assert!(ImageRef::parse("").is_none());
        assert!(ImageRef::parse("$(IMAGE)").is_none());
        assert!(ImageRef::parse("{{ .Values.image }}").is_none());
        assert!(ImageRef::parse("gcr.io/<project>/job-wq-1").is_none());
    }
}
