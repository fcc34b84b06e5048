import Foundation
import Testing

/// Why kernel tests may be skipped: they create namespaces, which needs root.
let isRoot = geteuid() == 0
let rootSkipReason: Comment = "kernel tests create network namespaces and need root (run as root or with sudo)"

/// The result of running a command.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
    var output: String { stdout + stderr }
}

/// Runs `arguments` (searched in `PATH`) and waits without blocking the cooperative pool;
/// stdout and stderr are captured through files, so a chatty command can never block on a full
/// pipe. After `timeout` the command is killed (status 137).
@discardableResult
func run(_ arguments: [String], timeout: TimeInterval = 120) async throws -> CommandResult {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lbnet-cmd-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out").path, err = directory.appendingPathComponent("err").path
    let outFD = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    let errFD = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    defer {
        close(outFD)
        close(errFD)
    }
    let status = try await ChildProcess(arguments, stdout: outFD, stderr: errFD).wait(timeout: timeout)
    return CommandResult(status: status,
                         stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
}

/// The `lbnet` binary built next to this test bundle.
let lbnetBinary: String = {
    let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var directory = URL(fileURLWithPath: bundle).deletingLastPathComponent()
    while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("lbnet").path), directory.path != "/" {
        directory.deleteLastPathComponent()
    }
    return directory.appendingPathComponent("lbnet").path
}()

/// A topology under test: its own namespace prefix and state directory, so it never touches a
/// user's topology or another test's. `close()` removes everything even if the test failed.
final class TestTopology {
    let prefix: String
    let stateDirectory: String
    let stateFile: String

    init(yaml: String? = nil) throws {
        let tag = String(UUID().uuidString.lowercased().filter(\.isHexDigit).prefix(6))
        prefix = "lbnet-t\(tag)"
        stateDirectory = "/tmp/lbnet-test-\(tag)"
        stateFile = "\(stateDirectory)-state.yaml"
        if let yaml { try write(yaml) }
    }

    func write(_ yaml: String) throws {
        try yaml.write(toFile: stateFile, atomically: true, encoding: .utf8)
    }

    func namespace(_ host: String) -> String { "\(prefix)-\(host)" }

    /// Runs lbnet with this topology's state directory and prefix; an `up` that starts a daemon
    /// has it serve the AWS API and the metrics on free loopback ports, never on the ones a
    /// user's daemon (or another test's) has.
    @discardableResult
    func lbnet(_ arguments: [String]) async throws -> CommandResult {
        let starts = arguments.first == "up"
        let api = starts && !arguments.contains("--api-listen") ? ["--api-listen", "127.0.0.1:0"] : []
        let metrics = starts && !arguments.contains("--metrics-listen") ? ["--metrics-listen", "127.0.0.1:0"] : []
        return try await run([lbnetBinary] + arguments + api + metrics + ["--state-dir", stateDirectory, "--prefix", prefix])
    }

    /// `lbnet up`, with the state file if one was written, else the embedded default.
    @discardableResult
    func up(useFile: Bool = true) async throws -> CommandResult {
        try await lbnet(["up"] + (useFile && FileManager.default.fileExists(atPath: stateFile) ? ["-f", stateFile] : []))
    }

    /// The pid `status` shows for `host`'s process; `nil` while it is not running.
    func pid(of host: String) async throws -> Int32? {
        let json = try await lbnet(["status", "--json"]).stdout
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let hosts = object?["hosts"] as? [[String: Any]]
        return (hosts?.first { $0["name"] as? String == host }?["pid"] as? Int).map(Int32.init)
    }

    func exec(_ host: String, _ command: [String]) async throws -> CommandResult {
        try await run([lbnetBinary, "exec", "--state-dir", stateDirectory, "--prefix", prefix, host, "--"] + command)
    }

    /// Namespaces with this topology's prefix, as `ip netns` (an independent witness) lists them.
    func namespaces() async throws -> [String] {
        try await run(["ip", "netns", "list"]).stdout.split(separator: "\n")
            .map { String($0.split(separator: " ")[0]) }
            .filter { $0.hasPrefix(prefix + "-") }
    }

    /// What an API client's teardown left, waiting up to `timeout` for the daemon to reconcile:
    /// nil once the desired state is empty (`export` prints `{}`) and only `internet` remains,
    /// else the exported state and the namespaces.
    func leftAfterTeardown(timeout: TimeInterval = 30) async throws -> String? {
        let emptied = try await eventually(timeout: timeout) {
            let exported = try await lbnet(["export"]).stdout
            let namespaces = try await namespaces()
            return exported == "{}\n" && namespaces.allSatisfy { $0 == namespace("internet") }
        }
        if emptied { return nil }
        return "\(try await lbnet(["export"]).stdout)\(try await namespaces())"
    }

    /// Processes whose command line mentions this topology's state directory or run in its namespaces.
    func processes() async throws -> [String] {
        var found: [String] = []
        for namespace in try await namespaces() {
            found += try await run(["ip", "netns", "pids", namespace]).stdout.split(separator: "\n").map(String.init)
        }
        found += try await run(["ps", "-eo", "pid,args"]).stdout.split(separator: "\n")
            .filter { $0.contains(stateDirectory + " ") || $0.hasSuffix(stateDirectory) }.map(String.init)
        return found
    }

    func close() async {
        _ = try? await lbnet(["down"])
        for namespace in (try? await namespaces()) ?? [] {
            for pid in (try? await run(["ip", "netns", "pids", namespace]))?.stdout.split(separator: "\n") ?? [] {
                _ = try? await run(["kill", "-9", String(pid)])
            }
            _ = try? await run(["ip", "netns", "delete", namespace])
        }
        try? FileManager.default.removeItem(atPath: stateDirectory)
        try? FileManager.default.removeItem(atPath: stateFile)
    }

    /// Runs `body` with a fresh topology and always cleans up after it, also when `body` throws
    /// (a failed `#require`, a command that could not start). Waits first for one of the
    /// `TopologySlots`.
    static func with(yaml: String? = nil, _ body: (TestTopology) async throws -> Void) async throws {
        try await TopologySlots.shared.withSlot {
            let topology = try TestTopology(yaml: yaml)
            do {
                try await body(topology)
            } catch {
                await topology.close()
                throw error
            }
            await topology.close()
        }
    }
}

/// Checks `condition` every 100 ms (sleeping, not blocking a thread) until it holds or
/// `timeout` passes; returns whether it held.
func eventually(timeout: TimeInterval = 10, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

extension Sequence {
    /// `map` with an async transform, applied to one element after the other.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }

    /// `compactMap` with an async transform, applied to one element after the other.
    func asyncCompactMap<T>(_ transform: (Element) async throws -> T?) async rethrows -> [T] {
        var results: [T] = []
        for element in self {
            if let result = try await transform(element) { results.append(result) }
        }
        return results
    }
}

/// Decodes the target server's JSON answer.
func targetAnswer(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any], "not a JSON object: \(text)")
}
