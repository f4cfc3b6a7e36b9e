//! Machine-translation providers, one module each.

pub mod apertium;
pub mod pseudo;
