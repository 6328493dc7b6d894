"""Use-cases shared by the CLI and the TUI: the only layer that combines storage,
calendar parsing and the pure logic. Never imports Textual."""
