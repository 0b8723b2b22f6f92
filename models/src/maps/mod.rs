//! Discrete-time map neurons: one step is one iteration, whatever the network's dt.
//! Spec: `shared/models/simple_maps.md` §22–27.

crate::family! {
    rulkov_map::RulkovMapNeuron,
}
