import ArgumentParser
import Orchestrator

/// `lbnet controller`: the background reconciler the supervisor runs for load balancers.
struct ControllerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Finish deregistrations when their delay ends (run by the supervisor).",
        shouldDisplay: false)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        Controller(deployment: global.deployment).run()
    }
}
