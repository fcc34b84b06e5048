/// Parses annotated golden hex: whitespace and `#` comments to the end of a line are ignored,
/// so each field of a wire structure can sit on its own commented line.
func golden(_ text: String) -> [UInt8] {
    let hex = text.split(separator: "\n").map { line in
        line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    }.joined().filter(\.isHexDigit)
    precondition(hex.count % 2 == 0, "odd number of hex digits")
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        bytes.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}
