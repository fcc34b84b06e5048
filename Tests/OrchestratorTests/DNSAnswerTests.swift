import Kernel
import NIOCore
import Testing

@testable import Orchestrator

/// The DNS answerer's wire format and zone: the default topology's load balancer names, A
/// records pointing back at the question, AWS's TTL, "no such name" under AWS's suffixes and
/// refusals elsewhere.
struct DNSAnswerTests {
    static func query(_ name: String, type: UInt16 = 1, id: UInt16 = 0xBEEF, opcode: UInt16 = 0) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(id)
        buffer.writeInteger(UInt16(0x0100) | opcode << 11)  // RD
        buffer.writeInteger(UInt16(1))
        buffer.writeInteger(UInt16(0))
        buffer.writeInteger(UInt16(0))
        buffer.writeInteger(UInt16(0))
        for label in name.split(separator: ".") {
            buffer.writeInteger(UInt8(label.utf8.count))
            buffer.writeString(String(label))
        }
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(type)
        buffer.writeInteger(UInt16(1))
        return buffer
    }

    static let model: DeploymentModel = {
        try! DeploymentModel.resolve(StateFileLoader.defaultTopologyYAML, source: "default", record: ElasticIPRecord())
    }()

    static func answer(_ datagram: ByteBuffer) -> ByteBuffer? {
        do {
            let query = try DNSQuery.parse(datagram)
            let (code, addresses) = LoadBalancerZone.of(model).answer(query)
            return DNSAnswer.encode(query, code: code, addresses: addresses, allocator: ByteBufferAllocator())
        } catch {
            return DNSAnswer.encode(error, allocator: ByteBufferAllocator())
        }
    }

    /// Header fields of an answer: ID, flags, question and answer counts.
    static func header(_ answer: ByteBuffer) -> (id: UInt16, flags: UInt16, questions: UInt16, answers: UInt16) {
        (answer.getInteger(at: 0)!, answer.getInteger(at: 2)!, answer.getInteger(at: 4)!, answer.getInteger(at: 6)!)
    }

    @Test func anInternetFacingNLBsNameResolvesToItsElasticIPs() throws {
        let balancer = try #require(Self.model.file.loadBalancers.first { $0.name == "web-nlb" })
        let name = AWSIdentity().dnsName(balancer)
        #expect(name.hasSuffix(".elb.us-east-1.amazonaws.com"))
        let answer = try #require(Self.answer(Self.query(name.uppercased())))
        let header = Self.header(answer)
        #expect(header.id == 0xBEEF && header.flags == 0x8500 && header.questions == 1 && header.answers == 2, "\(header)")
        let questionLength = Self.query(name).readableBytes - 12
        var records = answer.getSlice(at: 12 + questionLength, length: answer.readableBytes - 12 - questionLength)!
        var addresses: [IPv4Address] = []
        while records.readableBytes > 0 {
            let name = records.readInteger(as: UInt16.self), type = records.readInteger(as: UInt16.self)
            let recordClass = records.readInteger(as: UInt16.self), ttl = records.readInteger(as: UInt32.self)
            let length = records.readInteger(as: UInt16.self), address = records.readInteger(as: UInt32.self)
            #expect(name == 0xC00C && type == 1 && recordClass == 1 && ttl == 60 && length == 4)
            addresses.append(IPv4Address(try #require(address)))
        }
        let elasticIPs = Self.model.networkLoadBalancerNodes.compactMap { $0.elasticIP?.address }
        #expect(addresses == elasticIPs && addresses.count == 2, "\(addresses)")
    }

    @Test func anInternalALBsNameResolvesToItsNodesPrivateAddresses() throws {
        let balancer = try #require(Self.model.file.loadBalancers.first { $0.name == "web-alb" })
        let name = AWSIdentity().dnsName(balancer)
        #expect(name.hasPrefix("internal-web-alb-"))
        let zone = LoadBalancerZone.of(Self.model)
        let (code, addresses) = zone.answer(try DNSQuery.parse(Self.query(name)))
        #expect(code == .noError)
        #expect(addresses.count == 2 && addresses.allSatisfy { IPv4Network("10.0.0.0/16")!.contains($0) }, "\(addresses)")
        // Another type of a known name: no records, no error.
        let aaaa = zone.answer(try DNSQuery.parse(Self.query(name, type: 28)))
        #expect(aaaa.code == .noError && aaaa.addresses.isEmpty)
    }

    @Test func unknownNamesAreNoSuchNameUnderAWSsSuffixesAndRefusedElsewhere() throws {
        let zone = LoadBalancerZone.of(Self.model)
        #expect(zone.answer(try DNSQuery.parse(Self.query("gone-0123.elb.us-east-1.amazonaws.com"))).code == .nameError)
        #expect(zone.answer(try DNSQuery.parse(Self.query("internal-x-1.us-east-1.elb.amazonaws.com"))).code == .nameError)
        #expect(zone.answer(try DNSQuery.parse(Self.query("example.com"))).code == .refused)
        let refused = try #require(Self.answer(Self.query("example.com")))
        #expect(Self.header(refused).flags & 0xF == 5 && Self.header(refused).answers == 0)
    }

    @Test func malformedDatagramsGetFormatErrorsOrNothing() throws {
        #expect(Self.answer(ByteBuffer(bytes: [0x12])) == nil, "no ID, no answer")
        let truncated = Self.query("example.com").getSlice(at: 0, length: 16)!
        let answer = try #require(Self.answer(truncated))
        #expect(Self.header(answer).id == 0xBEEF && Self.header(answer).flags & 0xF == 1)
        var compressed = Self.query("a.b")
        compressed.setInteger(UInt8(0xC0), at: 12)
        #expect(try #require(Self.answer(compressed)).getInteger(at: 2, as: UInt16.self)! & 0xF == 1)
        let status = try #require(Self.answer(Self.query("a.b", opcode: 2)))
        #expect(Self.header(status).flags & 0xF == 4 && (Self.header(status).flags >> 11) & 0xF == 2)
    }
}
