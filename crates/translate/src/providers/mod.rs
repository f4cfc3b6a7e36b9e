//! Machine-translation providers, one module each.
