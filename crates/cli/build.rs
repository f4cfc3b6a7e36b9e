//! Link options for the `diglot` binary.

fn main() {
    // Relative relocations packed (DT_RELR), on request: the dynamic loader
    // applies the binary's tens of thousands of them in a fraction of the
    // time, which is most of what a command that does nothing costs. It
    // needs GNU ld 2.38 or lld 15 to link and glibc 2.36 to run, so it is
    // not the default: a `cargo install` on an older system must still
    // work. `DIGLOT_PACK_RELOCS=1 cargo build --release` turns it on.
    println!("cargo::rerun-if-env-changed=DIGLOT_PACK_RELOCS");
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if linux_gnu && std::env::var_os("DIGLOT_PACK_RELOCS").is_some_and(|v| v == "1") {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
