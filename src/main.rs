//! The `lede` binary: parse the command line, start logging, dispatch to a
//! subcommand in [`cli`].

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    cli::init_tracing(&args.log_format);
    let code = match cli::dispatch(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            // Usage errors and unreadable input: 2 (as clap's own); else 1.
            if e.chain().any(|c| c.is::<lede::input::UsageError>()) {
                2
            } else {
                1
            }
        }
    };
    std::process::exit(code);
}
