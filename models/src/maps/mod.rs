//! Discrete-time map neurons: one step is one iteration, whatever the network's dt.
//! Spec: `shared/models/simple_maps.md` §22–27.

pub mod cazelles_map;
pub mod chialvo_map;
pub mod courage_nekorkin_map;
pub mod ibarz_tanaka_map;
pub mod medvedev_map;
pub mod rulkov_map;

crate::family! {
    chialvo_map::ChialvoMapNeuron,
    rulkov_map::RulkovMapNeuron,
    ibarz_tanaka_map::IbarzTanakaMapNeuron,
    medvedev_map::MedvedevMapNeuron,
    cazelles_map::CazellesMapNeuron,
    courage_nekorkin_map::CourageNekorkinMapNeuron,
}
