import Orchestrator

/// Any bytes as a state file: the loader answers with a valid model or with issues that each
/// name where they are, never a crash or a hang.
struct StateFileFuzzTarget: FuzzTarget {
    static let name = "state-file"

    func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        do {
            let file = try StateFileLoader.parse(text, source: "fuzz.yaml")
            // A file the loader accepts must survive its own encoding: what `lbnet plan` and the
            // API write back is read again by the next `up`.
            let again: String
            do {
                again = try StateFileEncoder.yaml(file)
            } catch {
                fatalError("a valid state file cannot be encoded: \(error)")
            }
            do {
                _ = try StateFileLoader.parse(again, source: "fuzz-again.yaml")
            } catch {
                fatalError("a valid state file does not load after encoding: \(error)\n--- encoded ---\n\(again)")
            }
        } catch {
            for issue in error.issues where issue.message.isEmpty {
                fatalError("an issue without a message at \(issue.path)")
            }
        }
    }
}
