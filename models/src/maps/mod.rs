//! Discrete-time map neurons: one step is one iteration, whatever the network's dt.
//! Spec: `shared/models/simple_maps.md` §22–27.

crate::family! {
    chialvo_map::ChialvoMapNeuron,
    rulkov_map::RulkovMapNeuron,
    ibarz_tanaka_map::IbarzTanakaMapNeuron,
    medvedev_map::MedvedevMapNeuron,
    cazelles_map::CazellesMapNeuron,
    courage_nekorkin_map::CourageNekorkinMapNeuron,
}
