import ArgumentParser
import Foundation
import Orchestrator

/// `lbnet status`: the applied topology and its state, as tables or JSON. Any user may run it:
/// the daemon builds the report and serves it on its read-only status socket.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show every VPC, subnet and host with its namespace, address and state.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON for scripts.")
    var json = false

    func run() throws {
        try reportingErrors {
            let report = try global.deployment.status()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(report.renderText())
            }
        }
    }
}
