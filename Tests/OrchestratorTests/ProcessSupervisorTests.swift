import Foundation
import Logging
import Testing
@testable import Orchestrator
#if canImport(Glibc)
import Glibc
#endif

/// The process supervisor with plain `/bin/sleep` children in the root namespace (no root
/// needed): O(change) apply, restart with back-off after a kill, SIGTERM then SIGKILL, and
/// adoption of the children of a supervisor that was killed.
@Suite(.serialized) struct ProcessSupervisorTests {
    private func withDirectory(_ body: (StateDirectory) async throws -> Void) async throws {
        let path = NSTemporaryDirectory() + "lbnet-sup-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await body(StateDirectory(path: path))
    }

    private func sleeper(_ name: String, seconds: Int = 100) -> ProcessSpec {
        ProcessSpec(name: name, namespace: nil, arguments: ["/bin/sleep", "\(seconds)"])
    }

    private func supervisor(_ directory: StateDirectory, stopGrace: Duration = .seconds(3)) throws -> ProcessSupervisor {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return try ProcessSupervisor(directory: directory, logger: logger, stopGrace: stopGrace)
    }

    /// Waits (on progress, at most `limit`) until `condition` holds.
    private func eventually(_ limit: Duration = .seconds(10), _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    private func alive(_ pid: Int32?) -> Bool { pid.map { kill($0, 0) == 0 && ProcessRecord.startTime(of: $0) != nil } ?? false }

    @Test func applyChangesOnlyWhatDiffers() async throws {
        try await withDirectory { directory in
            let supervisor = try supervisor(directory)
            let first = try await supervisor.apply([sleeper("a"), sleeper("b")])
            #expect(first == ProcessChanges(started: ["a", "b"]))
            let before = supervisor.processes()
            let a = try #require(before["a"]?.pid), b = try #require(before["b"]?.pid)
            #expect(alive(a) && alive(b))

            let second = try await supervisor.apply([sleeper("a"), sleeper("b", seconds: 200), sleeper("c")])
            #expect(second == ProcessChanges(started: ["c"], restarted: ["b"]))
            let after = supervisor.processes()
            #expect(after["a"]?.pid == a)
            #expect(after["b"]?.pid != b && after["b"]?.spec.arguments == ["/bin/sleep", "200"])
            #expect(try await eventually { !alive(b) })

            #expect(try await supervisor.apply([sleeper("a"), sleeper("b", seconds: 200), sleeper("c")]).isEmpty)
            let third = try await supervisor.apply([sleeper("c")])
            #expect(third == ProcessChanges(stopped: ["a", "b"]))
            #expect(Set(supervisor.processes().keys) == ["c"])
            #expect(!alive(a))

            let record = try #require(try AtomicFile.readJSON([ProcessRecord].self, from: directory.supervisedProcessesPath))
            #expect(record.map(\.spec.name) == ["c"])
            #expect(record.first?.pid == supervisor.processes()["c"]?.pid)

            let c = supervisor.processes()["c"]?.pid
            await supervisor.shutdown()
            #expect(!alive(c))
            #expect(try AtomicFile.readJSON([ProcessRecord].self, from: directory.supervisedProcessesPath) == [])
            await #expect(throws: ProcessSupervisorError.self) { try await supervisor.apply([sleeper("a")]) }
        }
    }

    @Test func aKilledChildIsRestartedWithBackOff() async throws {
        try await withDirectory { directory in
            let supervisor = try supervisor(directory)
            try await supervisor.apply([sleeper("a")])
            let first = try #require(supervisor.processes()["a"]?.pid)
            kill(first, SIGKILL)
            let killedAt = ContinuousClock.now
            #expect(try await eventually { supervisor.processes()["a"]?.lastExit == "killed by signal 9" })
            #expect(try await eventually { supervisor.processes()["a"]?.pid.map { $0 != first } == true })
            let firstRestart = ContinuousClock.now - killedAt
            #expect(firstRestart >= .milliseconds(190))

            let second = try #require(supervisor.processes()["a"]?.pid)
            kill(second, SIGKILL)
            let killedAgainAt = ContinuousClock.now
            #expect(try await eventually { supervisor.processes()["a"]?.pid.map { $0 != second } == true })
            #expect(ContinuousClock.now - killedAgainAt >= .milliseconds(390), "the second quick failure waits 0.4 s")
            #expect(supervisor.processes()["a"]?.restarts == 2)
            #expect(ProcessSupervisor.backoff(restarts: 0) == .milliseconds(200))
            #expect(ProcessSupervisor.backoff(restarts: 9) == .seconds(5))
            await supervisor.shutdown()
        }
    }

    @Test func aChildIgnoringSIGTERMIsKilledAfterTheGracePeriod() async throws {
        try await withDirectory { directory in
            let supervisor = try supervisor(directory, stopGrace: .milliseconds(500))
            let stubborn = ProcessSpec(name: "stubborn", namespace: nil, arguments: ["/bin/sh", "-c", #"trap "" TERM; sleep 100"#])
            try await supervisor.apply([stubborn])
            let pid = try #require(supervisor.processes()["stubborn"]?.pid)
            try await Task.sleep(for: .milliseconds(200))  // let the shell install its trap
            let stoppedAt = ContinuousClock.now
            #expect(try await supervisor.apply([]) == ProcessChanges(stopped: ["stubborn"]))
            let took = ContinuousClock.now - stoppedAt
            #expect(took >= .milliseconds(500) && took < .seconds(3), "\(took)")
            #expect(!alive(pid))
            await supervisor.shutdown()
        }
    }

    @Test func aNewSupervisorAdoptsTheChildrenOfAKilledOne() async throws {
        try await withDirectory { directory in
            // The first supervisor "dies": it stops watching, its children keep running.
            let first = try supervisor(directory)
            try await first.apply([sleeper("a"), sleeper("b")])
            let pids = first.processes().compactMapValues(\.pid)
            first.detach()
            let firstRecord = try #require(try AtomicFile.readJSON([ProcessRecord].self, from: directory.supervisedProcessesPath))
            #expect(firstRecord.count == 2)

            // A stale entry: a pid whose start time does not match is dropped, not adopted.
            var record = firstRecord
            record.append(ProcessRecord(spec: sleeper("stale"), pid: getpid(), startTime: 1))
            try AtomicFile.writeJSON(record, to: directory.supervisedProcessesPath)

            let second = try supervisor(directory)
            #expect(second.processes().compactMapValues(\.pid) == pids)
            #expect(try await second.apply([sleeper("a"), sleeper("b")]).isEmpty, "adopted, not started twice")
            #expect(second.processes().compactMapValues(\.pid) == pids)
            #expect(try AtomicFile.readJSON([ProcessRecord].self, from: directory.supervisedProcessesPath)?.map(\.spec.name) == ["a", "b"])

            // An adopted child is watched through its pidfd: killed, it is restarted.
            let a = try #require(pids["a"])
            kill(a, SIGKILL)
            #expect(try await eventually { second.processes()["a"]?.pid.map { $0 != a } == true })
            #expect(second.processes()["a"]?.restarts == 1)

            await second.shutdown()
            #expect(!pids.values.contains { alive($0) })
        }
    }
}
