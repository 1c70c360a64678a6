import ArgumentParser
import AssayCLI

@main extension AssayCommand {}
