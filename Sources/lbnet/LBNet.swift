import ArgumentParser
import Orchestrator

/// The `lbnet` command: builds AWS Elastic Load Balancing topologies on the kernel's datapath.
@main
struct LBNet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lbnet",
        abstract: "AWS Elastic Load Balancing topologies on the Linux kernel datapath, from one state file.",
        version: LBNetVersion.current,
        subcommands: [Up.self, Plan.self, Status.self, Exec.self, Logs.self, Down.self, Target.self, Proxy.self, DaemonCommand.self, Credentials.self, Export.self]
    )
}
