extension StringProtocol {
    /// Whether the text is one or more ASCII digits, e.g. a port written as a string.
    var isDecimalNumber: Bool {
        !isEmpty && allSatisfy { $0.isASCII && $0.isNumber }
    }
}
