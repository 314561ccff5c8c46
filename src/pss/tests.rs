//! Unit tests of the Pod Security engine on kubevet's own cases.
