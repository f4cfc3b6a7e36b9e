//! Link options for the `diglot` binary.

fn main() {
    // Relative relocations packed (DT_RELR): the dynamic loader applies the
    // binary's tens of thousands of them in a fraction of the time, which
    // is most of what a command that does nothing costs. Needs GNU ld 2.38
    // or lld 15, and glibc 2.36 to run; set DIGLOT_PLAIN_RELOCS to link
    // without it (for an older system).
    println!("cargo::rerun-if-env-changed=DIGLOT_PLAIN_RELOCS");
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if linux_gnu && std::env::var_os("DIGLOT_PLAIN_RELOCS").is_none() {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
