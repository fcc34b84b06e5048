import ArgumentParser
import Foundation
import Orchestrator

/// `lbnet logs HOST [--follow]`: the output of a host's process.
struct Logs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the output of a host's process (an instance's target server or command, an ALB node's proxy).",
        discussion: """
            Prints STATE_DIR/logs/HOST.log, where the supervisor appends the process's standard output \
            and error (an ALB node's proxy writes an access log line there per request). With --follow, \
            keeps printing what is appended until Ctrl-C, or until the file is removed (by 'lbnet down').
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The host: an instance or an ALB node.")
    var host: String

    @Flag(name: [.customShort("f"), .long], help: "Keep printing new lines as they arrive.")
    var follow = false

    func run() throws {
        try reportingErrors {
            let path = try global.deployment.logPath(ofHost: host)
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("\(host) has no output yet: \(path) does not exist")
            }
            try LogFileFollower(path: path).copy(to: STDOUT_FILENO, follow: follow)
        }
    }
}
