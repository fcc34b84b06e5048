import ArgumentParser
import CNetlink
import Foundation
import Kernel
import Orchestrator

/// `lbnet exec HOST -- COMMAND...`: run a command inside a host's namespace.
struct Exec: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a command inside the namespace of a host (an instance, an LB node, or 'internet').")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The host: an instance, a load balancer node or 'internet'.")
    var host: String

    @Argument(parsing: .postTerminator, help: "The command and its arguments, after '--'.")
    var command: [String]

    func run() throws {
        try reportingErrors {
            try requireRoot()
            guard !command.isEmpty else { throw ValidationError("give the command after '--', e.g. lbnet exec \(host) -- curl -s http://10.0.1.11:8080/") }
            let namespace = try global.deployment.namespace(ofHost: host)
            let fd = try NetworkNamespace.open(namespace)
            let entered = lbnet_setns_net(fd)
            guard entered == 0 else { throw SystemError("entering namespace \(namespace)", errno: -entered) }
            let argv = command.map { strdup($0) } + [nil]
            execvp(command[0], argv)
            throw SystemError("running \(command[0]) in \(namespace)", errno: errno)
        }
    }
}
