"""Real-terminal benchmarks: programs run under a pseudo-terminal (120x40) whose
output is parsed by a terminal emulator (pyte); keys are written as bytes, so
they go through Textual's input parser. See docs/benchmarks.md."""
