import L7Proxy
import NIOCore
import NIOHTTP1

/// Any bytes as a target's answer on an ALB node's connection to it: the response reader
/// reads a response or refuses it, never crashes, never hands on more body bytes than arrived,
/// and reads the same whether the bytes come at once or in two pieces (the first input byte
/// picks where they are cut, and whether the request was a `HEAD`).
struct HTTPResponseFuzzTarget: FuzzTarget {
    static let name = "http-response"

    /// What the reader made of a connection's bytes.
    private struct Reading: Equatable {
        var heads: [HTTPResponseHead] = []
        var body: [UInt8] = []
        var ends: [HTTPHeaders?] = []
        var refused = false
    }

    func run(_ input: [UInt8]) {
        guard let control = input.first else { return }
        let bytes = Array(input.dropFirst())
        let toHEAD = control & 1 == 1
        let cut = bytes.isEmpty ? 0 : Int(control >> 1) % (bytes.count + 1)
        let whole = read([bytes[...]], toHEAD: toHEAD)
        let split = read([bytes[..<cut], bytes[cut...]], toHEAD: toHEAD)
        precondition(whole.body.count <= bytes.count, "more body bytes than arrived")
        precondition(whole == split, "the reading depends on where the bytes were cut")
    }

    private func read(_ pieces: [ArraySlice<UInt8>], toHEAD: Bool) -> Reading {
        var reader = UpstreamResponseReader()
        reader.expectResponse(toHEAD: toHEAD)
        var reading = Reading()
        var kept = ByteBuffer()
        do {
            for piece in pieces {
                kept.writeBytes(piece)
                while let part = try reader.next(from: &kept) { record(part, in: &reading) }
            }
        } catch {
            reading.refused = true
            return reading
        }
        if let end = reader.connectionEnded() { record(end, in: &reading) }
        return reading
    }

    private func record(_ part: UpstreamResponsePart, in reading: inout Reading) {
        switch part {
        case .head(let head): reading.heads.append(head.head)
        case .body(let body): reading.body += body.readableBytesView
        case .end(let trailers): reading.ends.append(trailers)
        }
    }
}
