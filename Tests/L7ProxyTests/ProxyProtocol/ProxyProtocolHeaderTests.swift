import Testing

@testable import L7Proxy

@Suite struct ProxyProtocolHeaderTests {
    let client = ProxyProtocolHeader.Endpoint(address: [198, 51, 100, 7], port: 40312)
    let listener = ProxyProtocolHeader.Endpoint(address: [10, 0, 1, 10], port: 80)

    @Test func encodesTheSpecsIPv4Layout() {
        let bytes = ProxyProtocolHeader(proxying: .stream, from: client, to: listener).encoded()
        #expect(bytes == ProxyProtocolHeader.signature + [0x21, 0x11, 0x00, 0x0C,
                                                          198, 51, 100, 7, 10, 0, 1, 10, 0x9D, 0x78, 0x00, 0x50])
    }

    @Test func roundTripsWithAWSEndpointTLV() throws {
        let header = ProxyProtocolHeader(proxying: .stream, from: client, to: listener, vpcEndpointID: "vpce-0123456789abcdef0")
        let bytes = header.encoded()
        #expect(bytes[16 + 12] == 0xEA)
        #expect(Array(bytes[(16 + 12 + 3)...].prefix(1)) == [0x01])
        let parsed = try ProxyProtocolHeader.parse(bytes + Array("GET / HTTP/1.1\r\n".utf8))
        #expect(parsed == .header(header, length: bytes.count))
        guard case .header(let read, _) = parsed else { return }
        #expect(read.vpcEndpointID == "vpce-0123456789abcdef0")
        #expect(read.source?.description == "198.51.100.7:40312")
        #expect(read.destination?.description == "10.0.1.10:80")
    }

    @Test func tellsAbsentFromIncomplete() throws {
        #expect(try ProxyProtocolHeader.parse(Array("GET / HTTP/1.1\r\n".utf8)) == .absent)
        #expect(try ProxyProtocolHeader.parse(Array(ProxyProtocolHeader.signature.prefix(5))) == .incomplete)
        let bytes = ProxyProtocolHeader(proxying: .datagram, from: client, to: listener).encoded()
        #expect(try ProxyProtocolHeader.parse(Array(bytes.dropLast())) == .incomplete)
    }

    @Test func localCommandCarriesNoAddresses() throws {
        let bytes = ProxyProtocolHeader.signature + [0x20, 0x00, 0x00, 0x00]
        let parsed = try ProxyProtocolHeader.parse(bytes)
        #expect(parsed == .header(ProxyProtocolHeader(command: .local, transport: .unspecified, source: nil, destination: nil), length: 16))
    }

    @Test func refusesMalformedHeaders() {
        #expect(throws: ProxyProtocolError.unsupportedVersion(1)) {
            try ProxyProtocolHeader.parse(ProxyProtocolHeader.signature + [0x11, 0x11, 0x00, 0x00])
        }
        #expect(throws: ProxyProtocolError.truncatedAddresses(family: 1, length: 4)) {
            try ProxyProtocolHeader.parse(ProxyProtocolHeader.signature + [0x21, 0x11, 0x00, 0x04, 1, 2, 3, 4])
        }
        var bytes = ProxyProtocolHeader(proxying: .stream, from: client, to: listener).encoded()
        bytes[15] += 2
        bytes += [0xEA, 0x00]
        #expect(throws: ProxyProtocolError.truncatedTLV(offset: 28)) { try ProxyProtocolHeader.parse(bytes) }
    }
}
