import Foundation

/// A real client run as a test's witness (curl, openssl), waited for without blocking a thread.
enum WitnessCommand {
    struct Result {
        let status: Int32
        /// Standard output and standard error, interleaved.
        let output: String
    }

    /// Runs `executable` with `arguments` and an empty standard input.
    static func run(_ executable: String, _ arguments: [String]) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        // Read as it comes (on a dispatch thread: the read blocks), so a large output cannot
        // fill the pipe and stall the process.
        let reading = Task {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: pipe.fileHandleForReading.readDataToEndOfFile()) }
            }
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try? pipe.fileHandleForWriting.close()
        return Result(status: process.terminationStatus, output: String(decoding: await reading.value, as: UTF8.self))
    }

    /// What curl printed.
    static func curl(_ arguments: [String]) async throws -> String {
        try await run("/usr/bin/curl", arguments).output
    }
}
