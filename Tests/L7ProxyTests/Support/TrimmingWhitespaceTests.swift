import Testing

@testable import L7Proxy

@Suite struct TrimmingWhitespaceTests {
    @Test func spacesAndTabsLeaveBothEndsOnly() {
        #expect(" \tkeep-alive, close \t".trimmingWhitespace == "keep-alive, close")
        #expect("value".trimmingWhitespace == "value")
        #expect(" \t ".trimmingWhitespace.isEmpty)
        #expect("".trimmingWhitespace.isEmpty)
        #expect(" café ".trimmingWhitespace == "café")
        #expect("\r\nx\r\n".trimmingWhitespace == "\r\nx\r\n")
    }
}
