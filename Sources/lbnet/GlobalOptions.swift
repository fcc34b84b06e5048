import ArgumentParser
import Foundation
import Orchestrator

/// Options every topology command shares: where lbnet keeps its records and how it names things.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Directory of lbnet's records (what it created and allocated).")
    var stateDir: String = StateDirectory.defaultPath

    @Option(name: .long, help: ArgumentHelp("Prefix of every namespace name (for side-by-side test topologies).", visibility: .hidden))
    var prefix: String = Naming.defaultPrefix

    func validate() throws {
        guard prefix.hasPrefix("lbnet"), prefix.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }), prefix.count <= 24 else {
            throw ValidationError("--prefix must start with 'lbnet' and use letters, digits and '-' (at most 24 characters)")
        }
    }

    var deployment: Deployment {
        Deployment(directory: StateDirectory(path: stateDir), prefix: prefix, executable: Self.executable)
    }

    /// The absolute path of this binary, which the supervisor and target servers run.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// Options of commands that read a state file.
struct StateFileOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .long], help: "The state file (YAML). Without it, the embedded default topology.")
    var file: String?

    var source: StateSource { file.map(StateSource.file) ?? .embeddedDefault }
}

/// Runs a command body, printing lbnet's own errors as one clear message and exiting non-zero.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        FileHandle.standardError.write(Data("lbnet: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

/// AWS's warnings about a valid state file, on standard error.
func printWarnings(_ warnings: [String]) {
    for warning in warnings { FileHandle.standardError.write(Data("lbnet: warning: \(warning)\n".utf8)) }
}

func requireRoot() throws {
    guard geteuid() == 0 else {
        FileHandle.standardError.write(Data("lbnet: this command changes network namespaces and needs root (run it with sudo)\n".utf8))
        throw ExitCode.failure
    }
}
