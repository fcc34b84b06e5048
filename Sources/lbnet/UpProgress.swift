import Foundation
import Orchestrator

/// What `lbnet up` prints while the daemon carries out its plan. Piped, one line per step as
/// it is planned; on a terminal, one line that counts the steps made out of the total and
/// names the latest.
struct UpProgress {
    let source: String
    let onTerminal: Bool
    private var steps: [String] = []
    private var shown = false

    init(source: String, onTerminal: Bool) {
        self.source = source
        self.onTerminal = onTerminal
    }

    mutating func show(_ reply: DaemonReply) {
        switch reply {
        case .change(let line):
            steps.append(line)
            guard !onTerminal else { return }
            if steps.count == 1 { print("Applying changes for \(source):") }
            print("  \(line)")
        case .progress(let done, let total) where onTerminal && total > 0:
            let latest = done > 0 && done <= steps.count ? steps[done - 1] : ""
            let width = String(total).count
            let count = String(repeating: " ", count: width - String(done).count) + String(done)
            // Carriage return and erase-line: the line is redrawn in place.
            FileHandle.standardOutput.write(Data("\r\u{1B}[2K[\(count)/\(total)] \(latest.prefix(100))".utf8))
            shown = true
        default:
            break
        }
    }

    func finish(count: Int) {
        if shown { FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8)) }
        print(count == 0 ? "No changes: the kernel matches \(source)." : "Applied \(count) change\(count == 1 ? "" : "s").")
    }
}
