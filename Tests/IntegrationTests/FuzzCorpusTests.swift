import Foundation
import Testing

/// Replays every kept fuzz input (the seeds and each input that once failed, in
/// Tests/Fuzz/Corpus/<target>) through the plain build of `lbnet-fuzz`: a crash `scripts/fuzz`
/// found once stays fixed. Needs no root: the HTTP target's proxy listens on loopback.
@Suite("Fuzz corpus replay")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus").path

    @Test("each kept input passes its fuzz target", arguments: ["state-file", "http-request", "api-request", "netlink", "proxy-protocol", "http-response"])
    func replay(target: String) async throws {
        let folder = "\(Self.corpus)/\(target)"
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!kept.isEmpty, "no seeds for \(target) in \(folder)")
        let binary = URL(fileURLWithPath: lbnetBinary).deletingLastPathComponent().appendingPathComponent("lbnet-fuzz").path
        let result = try await run([binary, target, folder], timeout: 300)
        #expect(result.status == 0, "lbnet-fuzz \(target) failed:\n\(result.stdout)\n\(result.stderr.suffix(3000))")
        #expect(result.stdout.contains("\(target): \(kept.count) inputs replayed, no failure"), "\(result.stdout)")
    }
}
