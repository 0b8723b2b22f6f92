//! Emulators of neuromorphic chips: integer arithmetic as the hardware does it.
//! Spec: `shared/models/if_core_hardware.md` §24–32.

pub mod akida;
pub mod brainscales_adex;
pub mod dpi;
pub mod loihi2;
pub mod loihi_cuba;
pub mod neurogrid;
pub mod spinnaker2;
pub mod spinnaker_lif;
pub mod truenorth;

crate::family! {
    loihi_cuba::LoihiCUBANeuron,
    loihi2::Loihi2Neuron,
    truenorth::TrueNorthNeuron,
    brainscales_adex::BrainScaleSAdExNeuron,
    spinnaker_lif::SpiNNakerLIFNeuron,
    spinnaker2::SpiNNaker2Neuron,
    dpi::DPINeuron,
    akida::AkidaNeuron,
    neurogrid::NeuroGridNeuron,
}
