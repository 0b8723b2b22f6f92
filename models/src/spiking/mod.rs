//! The spiking family. Spec: see `shared/models/README.md`.

crate::family! {}
