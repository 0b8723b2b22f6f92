//! Emulators of neuromorphic chips: integer arithmetic as the hardware does it.
//! Spec: `shared/models/if_core_hardware.md` §24–32.

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
