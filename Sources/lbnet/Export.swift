import ArgumentParser
import Orchestrator

/// `lbnet export`: the applied desired state as a state file, to keep or `up -f` elsewhere.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the applied topology as a state file (lbnet export > topology.yaml; lbnet up -f topology.yaml elsewhere).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try reportingErrors {
            guard let model = try global.deployment.appliedModel() else {
                throw DeploymentError.nothingApplied(global.deployment.directory.path)
            }
            print(try StateFileEncoder.yaml(model.file), terminator: "")
        }
    }
}
