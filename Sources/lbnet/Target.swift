import ArgumentParser
import Foundation
import L7Proxy

/// `lbnet target`: the built-in HTTP server instances run by default.
struct Target: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the built-in target server (answers with the instance, its AZ, its address and the client it saw).")

    @Option(help: "The instance name it reports.")
    var name: String

    @Option(help: "The availability zone it reports.")
    var az: String

    @Option(help: "The address to listen on.")
    var host: String = "0.0.0.0"

    @Option(help: "The port to listen on.")
    var port: Int = 8080

    func run() async throws {
        let server = try await TargetServer(configuration: .init(instanceName: name, availabilityZone: az, host: host, port: port)).bind()
        // One line on standard output (the host's log under the supervisor, see `lbnet logs`).
        FileHandle.standardOutput.write(Data("target \(name) (\(az)) listening on \(server.localAddress.hostPort)\n".utf8))
        try await server.run()
    }
}
