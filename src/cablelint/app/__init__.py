"""The application: command line, commands, runner, file discovery, progress, output sinks."""

#: Allocations between young-generation collections during a run (CPython's default is 700).
#: Start-up makes objects that live for the whole run (modules, rule specs, tables), and linting
#: a cable makes tens of thousands of short-lived ones that reference counting frees: at 700,
#: the cyclic collector only finds them still alive (about 8% of the CPU of a long run).
GC_YOUNG_THRESHOLD = 50_000
