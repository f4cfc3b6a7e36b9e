//! Edition strings (being written).
