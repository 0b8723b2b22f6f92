//! Constructors for building scenes from code (`PopulationSpec::new(..).receptor(..)`, ...).

use super::*;

impl PopulationSpec {
    /// `size` neurons of `model` with default parameters.
    pub fn new(name: impl Into<String>, model: impl Into<String>, size: u32) -> Self {
        Self {
            name: name.into(),
            model: model.into(),
            size,
            params: BTreeMap::new(),
            init: BTreeMap::new(),
            receptors: Vec::new(),
            position: None,
        }
    }
    /// Place the neurons.
    pub fn placed(mut self, p: Placement) -> Self {
        self.position = Some(p);
        self
    }
    /// Set a parameter (number, distribution or text).
    pub fn param(mut self, name: impl Into<String>, v: impl Into<ParamValue>) -> Self {
        self.params.insert(name.into(), v.into());
        self
    }
    /// Set every parameter from a typed parameter struct.
    pub fn params_from<P: crate::model::ParamSet>(mut self, p: &P) -> Self {
        for f in P::FIELDS {
            let v = match p.get_number(f.name) {
                Some(x) => ParamValue::Num(x),
                None => ParamValue::Text(p.display_field(f.name).unwrap_or_default()),
            };
            self.params.insert(f.name.to_string(), v);
        }
        self
    }
    /// Set an initial value (constant or distribution).
    pub fn init(mut self, var: impl Into<String>, v: impl Into<Value>) -> Self {
        self.init.insert(var.into(), v.into());
        self
    }
    /// Add a receptor.
    pub fn receptor(mut self, name: impl Into<String>, kind: ReceptorKind) -> Self {
        self.receptors.push(ReceptorSpec {
            name: name.into(),
            kind,
            port: None,
        });
        self
    }
}

impl ProjectionSpec {
    /// A projection with weight 1, one-step delay, no target chosen yet.
    pub fn new(source: impl Into<String>, target: impl Into<String>, rule: Rule) -> Self {
        Self {
            name: None,
            source: source.into(),
            target: target.into(),
            rule,
            weight: Value::Const(1.0),
            delay: None,
            receptor: None,
            port: None,
            autapses: false,
            multapses: true,
            weight_profile: None,
            synapse: SynapseSpec::Static,
        }
    }
    /// The synapse model (plasticity; `static` by default).
    pub fn synapse(mut self, s: SynapseSpec) -> Self {
        self.synapse = s;
        self
    }
    /// Weight.
    pub fn weight(mut self, w: impl Into<Value>) -> Self {
        self.weight = w.into();
        self
    }
    /// Delay, ms.
    pub fn delay(mut self, d: impl Into<Value>) -> Self {
        self.delay = Some(d.into());
        self
    }
    /// Target receptor.
    pub fn receptor(mut self, r: impl Into<String>) -> Self {
        self.receptor = Some(r.into());
        self
    }
    /// Target port.
    pub fn port(mut self, p: impl Into<String>) -> Self {
        self.port = Some(p.into());
        self
    }
    /// Autapses on/off.
    pub fn autapses(mut self, yes: bool) -> Self {
        self.autapses = yes;
        self
    }
    /// Multapses on/off.
    pub fn multapses(mut self, yes: bool) -> Self {
        self.multapses = yes;
        self
    }
    /// Name (keys the random stream).
    pub fn named(mut self, n: impl Into<String>) -> Self {
        self.name = Some(n.into());
        self
    }
}

impl Target {
    /// A whole population.
    pub fn all(population: impl Into<String>) -> Self {
        Self {
            population: population.into(),
            neurons: None,
        }
    }
    /// Some neurons of a population (local indices).
    pub fn some(population: impl Into<String>, neurons: Vec<u32>) -> Self {
        Self {
            population: population.into(),
            neurons: Some(neurons),
        }
    }
}

impl StimulusSpec {
    /// A stimulus of `kind` on `target`, always on, default port.
    pub fn new(target: Target, kind: StimulusKind) -> Self {
        Self {
            name: None,
            target,
            kind,
            port: None,
            receptor: None,
            start: 0.0,
            stop: None,
        }
    }
    /// Name.
    pub fn named(mut self, n: impl Into<String>) -> Self {
        self.name = Some(n.into());
        self
    }
    /// Port.
    pub fn port(mut self, p: impl Into<String>) -> Self {
        self.port = Some(p.into());
        self
    }
    /// Receptor (event stimuli).
    pub fn receptor(mut self, r: impl Into<String>) -> Self {
        self.receptor = Some(r.into());
        self
    }
    /// Active window, ms.
    pub fn window(mut self, start: f64, stop: Option<f64>) -> Self {
        self.start = start;
        self.stop = stop;
        self
    }
}
