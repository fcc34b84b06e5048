import ArgumentParser
import Orchestrator

/// `lbnet up`: make the kernel match the state file, changing only what differs.
struct Up: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Make the kernel match the state file (only the difference is applied).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var state: StateFileOptions

    func run() throws {
        try reportingErrors {
            try requireRoot()
            try printWarnings(global.deployment.warnings(state.source))
            var shown = 0
            let count = try global.deployment.up(state.source) { change in
                if shown == 0 { print("Applying changes for \(state.source.name):") }
                print("  \(change)")
                shown += 1
            }
            print(count == 0 ? "No changes: the kernel matches \(state.source.name)." : "Applied \(count) change\(count == 1 ? "" : "s").")
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
