import ArgumentParser
import Logging
import Orchestrator
import ServiceLifecycle

/// `lbnet supervise`: the supervisor `up` starts in the background (not for direct use).
struct Supervise: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the supervisor of a state directory's processes (started by 'up').",
        shouldDisplay: false)

    @Option(help: "The state directory whose processes to supervise.")
    var stateDir: String

    func run() async throws {
        let directory = StateDirectory(path: stateDir)
        let logger = Logger(label: "lbnet.supervise")
        let supervisor = try ProcessSupervisor(directory: directory, logger: logger,
                                               onChange: DesiredProcessesService.publisher(directory))
        let group = ServiceGroup(configuration: .init(
            // Shut down in reverse order: the supervisor stops its children first, then the
            // listener of `up` removes the status file.
            services: [
                .init(service: DesiredProcessesService(supervisor: supervisor, logger: logger)),
                .init(service: supervisor),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}
