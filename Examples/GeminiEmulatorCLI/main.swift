// gemini-emulator: serves the Gemini emulator until SIGINT or SIGTERM.
await EmulatorCommand.runFromCommandLine()
