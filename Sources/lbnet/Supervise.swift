import ArgumentParser
import Orchestrator

/// `lbnet supervise`: the supervisor `up` starts in the background (not for direct use).
struct Supervise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the supervisor of a state directory's processes (started by 'up').",
        shouldDisplay: false)

    @Option(help: "The state directory whose processes to supervise.")
    var stateDir: String

    func run() throws {
        try Supervisor(directory: StateDirectory(path: stateDir)).run()
    }
}
