//! Emulators of neuromorphic chips: integer arithmetic as the hardware does it.
//! Spec: `shared/models/if_core_hardware.md` §24–32.

crate::family! {
    loihi_cuba::LoihiCUBANeuron,
}
