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

/// Runs `arguments` (searched in `PATH`) and waits; stdout and stderr are captured through
/// files, so a chatty command can never block on a full pipe.
@discardableResult
func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> CommandResult {
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
    let status = try ChildProcess(arguments, stdout: outFD, stderr: errFD).wait(timeout: timeout)
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

    @discardableResult
    func lbnet(_ arguments: [String]) throws -> CommandResult {
        try run([lbnetBinary] + arguments + ["--state-dir", stateDirectory, "--prefix", prefix])
    }

    /// `lbnet up`, with the state file if one was written, else the embedded default.
    @discardableResult
    func up(useFile: Bool = true) throws -> CommandResult {
        try lbnet(["up"] + (useFile && FileManager.default.fileExists(atPath: stateFile) ? ["-f", stateFile] : []))
    }

    func exec(_ host: String, _ command: [String]) throws -> CommandResult {
        try run([lbnetBinary, "exec", "--state-dir", stateDirectory, "--prefix", prefix, host, "--"] + command)
    }

    /// Namespaces with this topology's prefix, as `ip netns` (an independent witness) lists them.
    func namespaces() throws -> [String] {
        try run(["ip", "netns", "list"]).stdout.split(separator: "\n")
            .map { String($0.split(separator: " ")[0]) }
            .filter { $0.hasPrefix(prefix + "-") }
    }

    /// Processes whose command line mentions this topology's state directory or run in its namespaces.
    func processes() throws -> [String] {
        var found: [String] = []
        for namespace in try namespaces() {
            found += try run(["ip", "netns", "pids", namespace]).stdout.split(separator: "\n").map(String.init)
        }
        found += try run(["ps", "-eo", "pid,args"]).stdout.split(separator: "\n")
            .filter { $0.contains(stateDirectory + " ") || $0.hasSuffix(stateDirectory) }.map(String.init)
        return found
    }

    func close() {
        _ = try? lbnet(["down"])
        for namespace in (try? namespaces()) ?? [] {
            _ = try? run(["ip", "netns", "pids", namespace]).stdout.split(separator: "\n").forEach { _ = try? run(["kill", "-9", String($0)]) }
            _ = try? run(["ip", "netns", "delete", namespace])
        }
        try? FileManager.default.removeItem(atPath: stateDirectory)
        try? FileManager.default.removeItem(atPath: stateFile)
    }

    /// Runs `body` with a fresh topology and always cleans up after it.
    static func with(yaml: String? = nil, _ body: (TestTopology) throws -> Void) throws {
        let topology = try TestTopology(yaml: yaml)
        defer { topology.close() }
        try body(topology)
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: TimeInterval = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(100_000)
    }
    return try condition()
}

/// Decodes the target server's JSON answer.
func targetAnswer(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any], "not a JSON object: \(text)")
}
