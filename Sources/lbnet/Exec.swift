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
            let deployment = global.deployment
            let namespace = try deployment.namespace(ofHost: host)
            let fd = try NetworkNamespace.open(namespace)
            let entered = lbnet_setns_net(fd)
            guard entered == 0 else { throw SystemError("entering namespace \(namespace)", errno: -entered) }
            useLoadBalancerNames(nameserver: try deployment.nameserver(ofHost: host), stateDirectory: deployment.directory.path)
            let argv = command.map { strdup($0) } + [nil]
            execvp(command[0], argv)
            throw SystemError("running \(command[0]) in \(namespace)", errno: errno)
        }
    }

    /// Binds a resolver configuration naming the DNS answerer over /etc/resolv.conf, in a mount
    /// namespace of this process alone. The file is removed at once: the mount holds it. A
    /// failure only costs the names, so it is reported and the command still runs.
    private func useLoadBalancerNames(nameserver: IPv4Address, stateDirectory: String) {
        let path = "\(stateDirectory)/resolv.conf.\(getpid())"
        defer { unlink(path) }
        do {
            try ResolverConfiguration.text(nameserver: nameserver).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("lbnet: load balancer names will not resolve: \(error)\n".utf8))
            return
        }
        let bound = lbnet_use_resolv_conf(path)
        if bound != 0 {
            FileHandle.standardError.write(Data("lbnet: load balancer names will not resolve: \(SystemError("binding \(path) over /etc/resolv.conf", errno: -bound))\n".utf8))
        }
    }
}
