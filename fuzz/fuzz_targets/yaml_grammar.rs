//! Fuzz target `yaml_grammar`: an `arbitrary` AST (`fuzz/grammar.rs`) printed to text, then run
//! like the text target. `FUZZ_SAVE_TEXT=file` saves the text of the input being run.
#![no_main]

#[path = "../grammar.rs"]
mod grammar;
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|input: grammar::Yaml| {
    let text = input.text();
    grammar::save_text(&text);
    harness::on_stack(|| {
        harness::yaml_text(&text);
        harness::check_manifest(text.as_bytes())
    });
});
