import AssayCLI

await AssayCommand.runAsExecutable()
