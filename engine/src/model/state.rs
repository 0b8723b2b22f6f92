//! State: the `neuron_state!` declaration (one component per variable) and its scalars.

use super::*;
use std::fmt;

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// A number a state variable can hold (f64 for continuous models, integers for chips).
pub trait StateScalar: Copy + Default + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// As f64 (for `get_state()`, recorders and tests).
    fn to_f64(self) -> f64;
    /// From f64 (initial values from scenes); integers round toward zero and saturate.
    fn from_f64(x: f64) -> Self;
    /// How many 64-bit words hold the value exactly (checkpoints).
    const WORDS: usize = 1;
    /// Append the value's exact words (`WORDS` of them) to `out`.
    fn put_words(self, out: &mut Vec<u64>);
    /// The value from its exact words (`w` holds `WORDS` words, as [`Self::put_words`] wrote).
    fn from_words(w: &[u64]) -> Self;
}
impl StateScalar for f64 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x
    }
    fn put_words(self, out: &mut Vec<u64>) {
        out.push(self.to_bits());
    }
    fn from_words(w: &[u64]) -> Self {
        f64::from_bits(w.first().copied().unwrap_or(0))
    }
}
macro_rules! int_state_scalar {
    ($($t:ty),*) => {$(
        impl StateScalar for $t {
            #[inline(always)]
            fn to_f64(self) -> f64 { self as f64 }
            #[inline(always)]
            fn from_f64(x: f64) -> Self { x as $t }
            fn put_words(self, out: &mut Vec<u64>) {
                // Sign-extended through i64 / zero-extended: exact for every integer type.
                out.push(self as i64 as u64);
            }
            fn from_words(w: &[u64]) -> Self {
                w.first().copied().unwrap_or(0) as i64 as $t
            }
        }
    )*};
}
int_state_scalar!(i8, i16, i32, i64, u8, u16, u32, u64);
impl StateScalar for bool {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        if self { 1.0 } else { 0.0 }
    }
    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x != 0.0
    }
    fn put_words(self, out: &mut Vec<u64>) {
        out.push(u64::from(self));
    }
    fn from_words(w: &[u64]) -> Self {
        w.first().copied().unwrap_or(0) != 0
    }
}

/// A model's state: a `Copy` struct whose fields are also stored as one bevy component each.
/// Implemented by [`neuron_state!`](crate::neuron_state).
pub trait StateVars: Copy + Default + fmt::Debug + PartialEq + Send + Sync + 'static {
    /// Names `get_state()` returns, in declaration order (SC-NeuroCore's names).
    const NAMES: &'static [&'static str];
    /// Doc comment of each variable ("meaning [unit]").
    const DOCS: &'static [&'static str];
    /// The query over this state's components (a tuple of `&mut` components).
    type Query: QueryData + ContiguousQueryData + 'static;
    /// Mutable slices of one contiguous chunk of the state's components.
    type Slices<'a>: Send;
    /// The bundle spawned per neuron.
    type Bundle: bevy_ecs::bundle::Bundle<Effect: bevy_ecs::bundle::NoBundleEffect>;
    /// Borrow the component slices of one contiguous query chunk.
    fn slices<'a, 'w, 's>(
        chunk: &'a mut <Self::Query as ContiguousQueryData>::Contiguous<'w, 's>,
    ) -> Self::Slices<'a>;
    /// Reborrow the slices for a shorter time.
    fn reborrow<'b>(slices: &'b mut Self::Slices<'_>) -> Self::Slices<'b>;
    /// Split a chunk's slices at row `mid` (for parallel sub-chunks).
    fn split_at<'a>(slices: Self::Slices<'a>, mid: usize) -> (Self::Slices<'a>, Self::Slices<'a>);
    /// Load row `i`.
    fn load(slices: &Self::Slices<'_>, i: usize) -> Self;
    /// Store row `i`.
    fn store(slices: &mut Self::Slices<'_>, i: usize, s: &Self);
    /// The bundle of components for this state.
    fn bundle(&self) -> Self::Bundle;
    /// Variable `k` as f64.
    fn get(&self, k: usize) -> f64;
    /// Set variable `k` from f64.
    fn set(&mut self, k: usize, x: f64);
    /// Read one neuron's state from its components.
    fn read(world: &bevy_ecs::world::World, e: bevy_ecs::entity::Entity) -> Option<Self>;
    /// Write one neuron's state into its components; `false` if the entity lacks them.
    fn write(&self, world: &mut bevy_ecs::world::World, e: bevy_ecs::entity::Entity) -> bool;
    /// How many 64-bit words hold the whole state exactly (checkpoints).
    const WORDS: usize;
    /// Append the state's exact words, variable by variable in declaration order.
    fn put_words(&self, out: &mut Vec<u64>);
    /// The state from `WORDS` words written by [`Self::put_words`].
    fn from_words(w: &[u64]) -> Self;
    /// Index of a variable by name.
    fn index_of(name: &str) -> Option<usize> {
        Self::NAMES.iter().position(|n| *n == name)
    }
}

/// Declare a model's state: the `Copy` struct, one bevy component per variable (the name after
/// `=>`), and [`StateVars`]. Doc comments on each variable become the component's docs.
///
/// ```ignore
/// neuron_state! {
///     /// State of the AdEx neuron.
///     pub struct AdExState {
///         /// Membrane potential [mV].
///         v: f64 => AdExV,
///         /// Adaptation current [pA].
///         w: f64 => AdExW,
///     }
/// }
/// ```
///
/// A bevy query is a tuple of at most 15 components, so a state of more than 15 variables
/// lists them in bracketed groups of at most 15 each: `pub struct S { [ a: f64 => A, … ]
/// [ p: f64 => P, … ] }`. The groups only shape the query (a tuple of tuples); the struct,
/// the `get_state()` names and their order are the variables in declaration order.
#[macro_export]
macro_rules! neuron_state {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                [
                    $(
                        $(#[doc = $doc:literal])+
                        $field:ident : $ty:ty => $comp:ident
                    ),* $(,)?
                ]
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq)]
        $vis struct $name {
            $($( $(#[doc = $doc])+ pub $field: $ty, )*)+
        }

        $($(
            #[doc = concat!("Component holding the state variable `", stringify!($field), "` of [`", stringify!($name), "`]:")]
            $(#[doc = $doc])+
            #[derive(Clone, Copy, Debug, Default, PartialEq)]
            #[repr(transparent)]
            $vis struct $comp(pub $ty);

            // Implemented by hand (not derived) so crates defining models need not depend on
            // bevy_ecs themselves: one table column per variable, mutable.
            impl $crate::bevy_ecs::component::Component for $comp {
                const STORAGE_TYPE: $crate::bevy_ecs::component::StorageType =
                    $crate::bevy_ecs::component::StorageType::Table;
                type Mutability = $crate::bevy_ecs::component::Mutable;
            }
        )*)+

        #[allow(non_snake_case, unused_variables, clippy::unused_unit)]
        impl $crate::model::StateVars for $name {
            const NAMES: &'static [&'static str] = &[$($(stringify!($field)),*),+];
            const DOCS: &'static [&'static str] = &[$($($crate::__trim_doc!($($doc)+)),*),+];
            type Query = ($( ($(&'static mut $comp,)*), )+);
            type Slices<'a> = ($( ($(&'a mut [$comp],)*), )+);
            type Bundle = ($( ($($comp,)*), )+);
            const WORDS: usize = 0 $($( + <$ty as $crate::model::StateScalar>::WORDS )*)+;

            fn put_words(&self, out: &mut Vec<u64>) {
                $($( $crate::model::StateScalar::put_words(self.$field, out); )*)+
            }
            fn from_words(w: &[u64]) -> Self {
                let mut at = 0usize;
                let mut next = |n: usize| {
                    let a = at.min(w.len());
                    at += n;
                    &w[a..at.min(w.len())]
                };
                let _ = &mut next;
                Self { $($( $field: <$ty as $crate::model::StateScalar>::from_words(next(<$ty as $crate::model::StateScalar>::WORDS)), )*)+ }
            }

            #[inline(always)]
            fn slices<'a, 'w, 's>(
                chunk: &'a mut <Self::Query as $crate::bevy_ecs::query::ContiguousQueryData>::Contiguous<'w, 's>,
            ) -> Self::Slices<'a> {
                let ($( ($($field,)*), )+) = chunk;
                ($( ($($field.bypass_change_detection(),)*), )+)
            }
            #[inline(always)]
            fn reborrow<'b>(slices: &'b mut Self::Slices<'_>) -> Self::Slices<'b> {
                let ($( ($($field,)*), )+) = slices;
                ($( ($(&mut **$field,)*), )+)
            }
            #[inline(always)]
            fn split_at<'a>(slices: Self::Slices<'a>, mid: usize) -> (Self::Slices<'a>, Self::Slices<'a>) {
                let ($( ($($field,)*), )+) = slices;
                $($( let $field = $field.split_at_mut(mid); )*)+
                (($( ($($field.0,)*), )+), ($( ($($field.1,)*), )+))
            }
            #[inline(always)]
            fn load(slices: &Self::Slices<'_>, i: usize) -> Self {
                let ($( ($($field,)*), )+) = slices;
                Self { $($( $field: $field[i].0, )*)+ }
            }
            #[inline(always)]
            fn store(slices: &mut Self::Slices<'_>, i: usize, s: &Self) {
                let ($( ($($field,)*), )+) = slices;
                $($( $field[i].0 = s.$field; )*)+
            }
            fn bundle(&self) -> Self::Bundle {
                ($( ($($comp(self.$field),)*), )+)
            }
            fn read(
                world: &$crate::bevy_ecs::world::World,
                e: $crate::bevy_ecs::entity::Entity,
            ) -> Option<Self> {
                let _ = (world, e);
                Some(Self { $($( $field: world.get::<$comp>(e)?.0, )*)+ })
            }
            fn write(
                &self,
                world: &mut $crate::bevy_ecs::world::World,
                e: $crate::bevy_ecs::entity::Entity,
            ) -> bool {
                let Ok(mut ent) = world.get_entity_mut(e) else {
                    return false;
                };
                $($(
                    match ent.get_mut::<$comp>() {
                        Some(mut c) => c.0 = self.$field,
                        None => return false,
                    }
                )*)+
                let _ = &mut ent;
                true
            }
            fn get(&self, k: usize) -> f64 {
                let mut i = 0usize;
                $($(
                    if k == i {
                        return $crate::model::StateScalar::to_f64(self.$field);
                    }
                    i += 1;
                )*)+
                let _ = i;
                f64::NAN
            }
            fn set(&mut self, k: usize, x: f64) {
                let mut i = 0usize;
                $($(
                    if k == i {
                        self.$field = $crate::model::StateScalar::from_f64(x);
                        return;
                    }
                    i += 1;
                )*)+
                let _ = i;
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[doc = $doc:literal])+
                $field:ident : $ty:ty => $comp:ident
            ),* $(,)?
        }
    ) => {
        $crate::neuron_state! {
            $(#[$meta])*
            $vis struct $name {
                [ $( $(#[doc = $doc])+ $field : $ty => $comp ),* ]
            }
        }
    };
}
