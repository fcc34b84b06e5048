import Foundation
import Orchestrator
import Testing

/// The examples of docs/state-file.md stay valid state files.
@Suite struct StateFileDocumentationTests {
    /// The ```yaml blocks of the schema reference.
    static func examples() throws -> [String] {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(
            contentsOf: repository.appendingPathComponent("docs/state-file.md"), encoding: .utf8)
        return text.components(separatedBy: "```yaml\n").dropFirst().compactMap {
            $0.components(separatedBy: "```").first
        }
    }

    @Test func everyExampleIsValid() throws {
        let examples = try Self.examples()
        #expect(examples.count == 4)
        for example in examples {
            #expect(issueDescriptions(example) == [])
        }
    }

    @Test func theFirstExampleIsTheDefaultTopology() throws {
        let documented = try StateFileLoader.parse(try #require(Self.examples().first), source: "docs")
        #expect(documented == (try StateFileLoader.parse(StateFileLoader.defaultTopologyYAML, source: "default")))
    }
}
