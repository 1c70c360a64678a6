import ConsoleKitTerminal
import Foundation

/// A ConsoleKit console that draws on standard error, so that progress bars never mix with the CSV or JSON a
/// command writes to standard output (`assay aggregate judgments.csv > labels.csv` stays a clean file).
///
/// It draws only when standard error is a terminal; in a pipe or a CI log, progress is left out.
final class StandardErrorConsole: ConsoleKitTerminal.Console, @unchecked Sendable {
    private let lock = NSLock()
    private var storedUserInfo: [AnySendableHashable: any Sendable] = [:]

    /// Whether standard error is a terminal, i.e. whether anyone can see a progress bar.
    static var isInteractive: Bool { isatty(STDERR_FILENO) != 0 }

    var userInfo: [AnySendableHashable: any Sendable] {
        get { lock.withLock { storedUserInfo } }
        set { lock.withLock { storedUserInfo = newValue } }
    }

    var size: (width: Int, height: Int) { Terminal().size }

    var supportsANSICommands: Bool { Self.isInteractive }

    func input(isSecure: Bool) -> String { "" }

    func output(_ text: ConsoleText, newLine: Bool) {
        let string = text.description
        // ConsoleKit counts the lines it drew so that an activity indicator can erase them on its next frame.
        let breaks = string.utf8.reduce(0) { count, byte in byte == UInt8(ascii: "\n") ? count + 1 : count }
        didOutputLines(count: breaks + (newLine ? 1 : 0))
        write(string + (newLine ? "\n" : ""))
    }

    func clear(_ type: ConsoleClear) {
        guard supportsANSICommands else { return }
        switch type {
        case .line: write("\u{1B}[1A\u{1B}[2K")
        case .screen: write("\u{1B}[2J")
        }
    }

    func report(error: String, newLine: Bool) {
        write(error + (newLine ? "\n" : ""))
    }

    private func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
