import Foundation
import NIOPosix
import Testing

@testable import L7Proxy

@Suite struct StandardOutputLinesTests {
    /// Reads what the pipe's write end received (after it is closed).
    func readAll(_ descriptor: CInt) -> String {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += chunk.prefix(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An entry whose line carries `request`.
    func entry(_ request: String) -> AccessLogEntry {
        AccessLogEntry(time: Date(timeIntervalSince1970: 0), requestCreationTime: Date(timeIntervalSince1970: 0),
                       elb: "app/bench/0", client: "10.0.0.1:1", request: AccessLogRequestLine(request))
    }

    @Test func entriesFromManyThreadsAreWrittenAsWholeLinesInTheirOrderByFlush() async throws {
        var ends: [CInt] = [0, 0]
        #expect(pipe(&ends) == 0)
        // More than a pipe holds would block the writer: a reader drains it beside, on a
        // dispatch thread (the read blocks), and the writer has a pool of its own, so neither
        // the cooperative threads nor NIO's shared pool wait on this test.
        let reader = Task { [read = ends[0]] in
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: self.readAll(read)) }
            }
        }
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let lines = StandardOutputLines(descriptor: ends[1], threadPool: pool)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<2000 { lines.append(self.entry("writer \(writer) line \(index)")) }
                }
            }
        }
        await lines.flush()
        close(ends[1])
        let written = await reader.value.split(separator: "\n")
        close(ends[0])
        try await pool.shutdownGracefully()
        #expect(written.count == 8000)
        for writer in 0..<4 {
            let own = written.filter { $0.contains("\"writer \(writer) line ") }
            #expect(own == (0..<2000).map { entry("writer \(writer) line \($0)").line[...] })
        }
    }

    @Test func beyondTheLimitEntriesAreDroppedNotQueued() async throws {
        var ends: [CInt] = [0, 0]
        #expect(pipe(&ends) == 0)
        // The pool's one thread is busy, so nothing is written while the lines arrive.
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let busy = DispatchSemaphore(value: 0)
        pool.submit { _ in busy.wait() }
        let lines = StandardOutputLines(descriptor: ends[1], entryLimit: 2, threadPool: pool)
        lines.append(entry("first"))
        lines.append(entry("second"))
        lines.append(entry("third"))  // over the limit, dropped
        busy.signal()
        await lines.flush()
        lines.append(entry("fourth"))  // written: the queue is empty again
        await lines.flush()
        close(ends[1])
        #expect(readAll(ends[0]) == [entry("first"), entry("second"), entry("fourth")].map { $0.line + "\n" }.joined())
        close(ends[0])
        try await pool.shutdownGracefully()
    }
}
