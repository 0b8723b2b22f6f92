//! Rate, population and neural-mass models, plasticity and other units.
//! Spec: `shared/models/stochastic_rate_ai.md`.

pub mod amari_field;
pub mod astrocyte;
pub mod ermentrout_kopell_pop;
pub mod fractional_lif;
pub mod jansen_rit;
pub mod larter_breakspear;
pub mod leaky_compete_fire;
pub mod ltc;
pub mod mcculloch_pitts;
pub mod psn;
pub mod siegert;
pub mod sigmoid_rate;
pub mod threshold_linear_rate;
pub mod tsodyks_markram;
pub mod wendling;
pub mod wilson_cowan;
pub mod wong_wang;

crate::family! {
    wilson_cowan::WilsonCowanUnit,
    siegert::SiegertTransferFunction,
    mcculloch_pitts::McCullochPittsNeuron,
    sigmoid_rate::SigmoidRateNeuron,
    threshold_linear_rate::ThresholdLinearRateNeuron,
    tsodyks_markram::TsodyksMarkramNeuron,
    fractional_lif::FractionalLIFNeuron,
    ltc::LiquidTimeConstantNeuron,
    astrocyte::AstrocyteModel,
    psn::ParallelSpikingNeuron,
    amari_field::AmariNeuralField,
    leaky_compete_fire::LeakyCompeteFireNeuron,
    ermentrout_kopell_pop::ErmentroutKopellPopulation,
    jansen_rit::JansenRitUnit,
    wong_wang::WongWangUnit,
    wendling::WendlingNeuron,
    larter_breakspear::LarterBreakspearNeuron,
}
