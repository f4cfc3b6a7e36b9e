//! `diglot completions` and `diglot man`: shell completions and the manual
//! page, generated from the same clap definition as the parser, so they
//! cannot drift from it.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;

pub(crate) fn completions<C: CommandFactory>(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut command = C::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "diglot", &mut out);
    std::io::stdout().lock().write_all(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// The manual page of `diglot` (roff), followed by one section per
/// subcommand, so that `man` shows every option in one page.
pub(crate) fn man<C: CommandFactory>() -> Result<ExitCode> {
    let command = C::command();
    let mut out = Vec::new();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("diglot {}", sub.get_name());
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        let sub = sub.clone().bin_name(name);
        let page = clap_mangen::Man::new(sub);
        // Each subcommand's synopsis, description and options, as subsections.
        let mut section = Vec::new();
        page.render_synopsis_section(&mut section)?;
        page.render_description_section(&mut section)?;
        page.render_options_section(&mut section)?;
        let text = String::from_utf8_lossy(&section).replace(".SH ", ".SS ");
        out.write_all(text.as_bytes())?;
    }
    man.render_extra_section(&mut out)?;
    man.render_version_section(&mut out)?;
    std::io::stdout().lock().write_all(&out)?;
    Ok(ExitCode::SUCCESS)
}
