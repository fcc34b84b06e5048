import ArgumentParser
import Foundation
import Orchestrator

/// `lbnet up`: make the kernel match the state file, changing only what differs.
struct Up: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Make the kernel match the state file (only the difference is applied).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var state: StateFileOptions
    @OptionGroup var api: APIOptionGroup
    @OptionGroup var metrics: MetricsOptions

    @Flag(help: "Return only when every load balancer is active, every ALB node serves its configuration and every target has left 'initial'.")
    var wait = false

    @Option(help: "How long --wait waits (e.g. 90s, 2m); on timeout, what is not ready is printed and lbnet exits 1.")
    var timeout: WaitTimeout = WaitTimeout(.seconds(120))

    func run() throws {
        try reportingErrors {
            try requireRoot()
            try printWarnings(global.deployment.warnings(state.source))
            var progress = UpProgress(source: state.source.name, onTerminal: isatty(STDOUT_FILENO) == 1)
            var deployment = global.deployment
            deployment.metricsListen = try metrics.address
            if let asked = deployment.metricsListen, let serving = deployment.runtimeStatus()?.endpoints["metrics"], !asked.isServed(by: serving) {
                printWarnings(["the daemon already runs (metrics: \(serving)); --metrics-listen \(asked) applies to a daemon 'up' starts"])
            }
            let count = try deployment.up(state.source, api: api.options()) { progress.show($0) }
            progress.finish(count: count)
            guard wait else { return }
            print("Waiting until ready (at most \(timeout))...")
            let waiting = try global.deployment.waitUntilReady(timeout: timeout.duration)
            guard waiting.isEmpty else {
                print("Not ready after \(timeout):")
                waiting.forEach { print("  \($0)") }
                throw ExitCode.failure
            }
            print("Ready.")
        }
    }
}

/// `lbnet plan`: print the changes `up` would make.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the changes 'up' would make, without making them.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var state: StateFileOptions

    func run() throws {
        try reportingErrors {
            try requireRoot()
            try printWarnings(global.deployment.warnings(state.source))
            var lines: [String] = []
            let count = try global.deployment.plan(state.source) { lines.append($0) }
            if count == 0 {
                print("No changes: the kernel matches \(state.source.name).")
            } else {
                print("Plan for \(state.source.name): \(count) change\(count == 1 ? "" : "s")")
                lines.forEach { print("  \($0)") }
            }
        }
    }
}

/// `lbnet down`: remove everything lbnet created.
struct Down: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop every process and remove every namespace, link and file lbnet created.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try reportingErrors {
            try requireRoot()
            let removed = try global.deployment.down()
            removed.forEach { print("- namespace \($0)") }
            print(removed.isEmpty ? "Nothing to remove." : "Removed \(removed.count) namespace\(removed.count == 1 ? "" : "s").")
        }
    }
}
