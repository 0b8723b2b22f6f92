//! The hardware family. Spec: see `shared/models/README.md`.

crate::family! {}
