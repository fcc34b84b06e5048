import ArgumentParser
import Foundation
import Orchestrator

/// What `lbnet status` prints: tables, JSON for scripts, or the topology picture as Graphviz
/// source (`dot`) or drawn by Graphviz (`svg`).
enum StatusFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json, dot, svg

    func write(_ report: StatusReport) throws {
        switch self {
        case .text:
            print(report.renderText())
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .dot:
            print(TopologyPicture(report).dot, terminator: "")
        case .svg:
            try Graphviz.writeSVG(of: TopologyPicture(report).dot)
        }
    }
}
