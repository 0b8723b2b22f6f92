//! The stochastic family. Spec: see `shared/models/README.md`.

crate::family! {}
