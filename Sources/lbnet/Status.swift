import ArgumentParser
import Foundation
import Orchestrator

/// `lbnet status`: the applied topology and its state, as tables, JSON or a picture. Any user
/// may run it: the daemon builds the report and serves it on its read-only status socket.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show every VPC, subnet and host with its namespace, address and state.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "text (tables), json (for scripts), dot (the topology picture as Graphviz source) or svg (the picture, drawn by Graphviz's dot).")
    var format: StatusFormat?

    @Flag(help: "Print JSON for scripts (the same as --format json).")
    var json = false

    func validate() throws {
        if json, let format, format != .json { throw ValidationError("--json and --format \(format) ask for different outputs; give one") }
    }

    func run() throws {
        try reportingErrors {
            let report = try global.deployment.status()
            try (format ?? (json ? .json : .text)).write(report)
        }
    }
}
