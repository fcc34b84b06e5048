import ArgumentParser
import Foundation
import L7Proxy
import Orchestrator

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

    @Option(help: "Serve HTTPS with this PEM certificate chain (with --tls-key).")
    var tlsCertificate: String?

    @Option(help: "The PEM private key of --tls-certificate.")
    var tlsKey: String?

    @Flag(help: "Serve HTTPS with a certificate for --name issued by the local CA of --state-dir (made when missing), which `curl --cacert STATE_DIR/ca.pem` trusts.")
    var tls = false

    @Option(help: "Directory of lbnet's records, whose local CA --tls uses.")
    var stateDir: String = StateDirectory.defaultPath

    func validate() throws {
        guard (tlsCertificate == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-certificate and --tls-key go together")
        }
        if tls, tlsCertificate != nil {
            throw ValidationError("--tls issues a certificate; --tls-certificate brings one: use one of them")
        }
    }

    func run() async throws {
        var files = tlsCertificate.map { ($0, tlsKey!) }
        if tls {
            let store = CertificateStore(directory: StateDirectory(path: stateDir))
            try store.issueInstanceCertificate(for: name)
            files = (store.instanceCertificatePath(name), store.instanceKeyPath(name))
        }
        let tls = try files.map { try TargetServer.tlsContext(certificateChainFile: $0.0, privateKeyFile: $0.1) }
        let server = try await TargetServer(configuration: .init(instanceName: name, availabilityZone: az, host: host, port: port),
                                            tls: tls).bind()
        // One line on standard output (the host's log under the supervisor, see `lbnet logs`).
        let over = tls == nil ? "" : " (HTTPS)"
        FileHandle.standardOutput.write(Data("target \(name) (\(az)) listening on \(server.localAddress.hostPort)\(over)\n".utf8))
        try await server.run()
    }
}
