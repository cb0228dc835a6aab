"""The application: command line, commands, runner, file discovery, progress, output sinks."""
