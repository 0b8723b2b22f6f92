//! The compartmental family. Spec: see `shared/models/README.md`.

crate::family! {}
