import AWSAPI
import Foundation
import Kernel

/// What one `RunInstances` asks for, checked as EC2 checks it.
struct InstanceLaunch: Equatable {
    let imageId: String
    let instanceType: String
    let count: Int
    let subnetId: String
    let address: IPv4Address?
    let userData: String?
    let cpuCredits: String?
    let disableApiTermination: Bool
    let disableApiStop: Bool
    let clientToken: String?

    init(_ p: QueryParameters) throws(APIError) {
        imageId = try p.required("ImageId")
        guard StateFile.Instance.isImageId(imageId) else {
            throw APIError("InvalidAMIID.Malformed", "Invalid id: \"\(imageId)\" (expecting \"ami-...\")")
        }
        instanceType = p["InstanceType"] ?? StateFile.Instance.defaultInstanceType
        guard InstanceType.named(instanceType) != nil else {
            throw APIError("InvalidInstanceType", "The instance type '\(instanceType)' is not supported by lbnet (known: "
                           + InstanceType.known.map(\.name).joined(separator: ", ") + ")")
        }
        count = try Self.count(p)
        guard let subnet = p["SubnetId"] else { throw APIError("VPCIdNotSpecified", "No default VPC for this user") }
        subnetId = subnet
        if let text = p["PrivateIpAddress"] {
            guard let parsed = IPv4Address(text) else {
                throw APIError("InvalidParameterValue", "Value (\(text)) for parameter PrivateIpAddress is invalid.")
            }
            guard count == 1 else {
                throw APIError("InvalidParameterCombination", "Cannot specify a private IP address when launching more than one instance")
            }
            address = parsed
        } else {
            address = nil
        }
        userData = try p["UserData"].map(Self.script)
        if let credits = p["CreditSpecification.CpuCredits"] {
            guard ["standard", "unlimited"].contains(credits) else {
                throw APIError("InvalidParameterValue", "Value (\(credits)) for parameter CpuCredits is invalid. Expected 'standard' or 'unlimited'.")
            }
            guard InstanceType.named(instanceType)?.isBurstable == true else {
                throw APIError("InvalidParameterCombination", "The parameter CreditSpecification is not supported for \(instanceType) instances.")
            }
        }
        cpuCredits = p["CreditSpecification.CpuCredits"]
        disableApiTermination = try Self.flag(p, "DisableApiTermination")
        disableApiStop = try Self.flag(p, "DisableApiStop")
        clientToken = p["ClientToken"]
        if let clientToken, clientToken.count > 64 {
            throw APIError("InvalidParameterValue", "Value (\(clientToken)) for parameter ClientToken is invalid. It must be at most 64 characters.")
        }
    }

    /// How many to launch: `MaxCount`, at most ``EC2InstanceCalls/launchLimit``, at least `MinCount`.
    static func count(_ p: QueryParameters) throws(APIError) -> Int {
        let minimum = try p.required("MinCount"), maximum = try p.required("MaxCount")
        guard let low = Int(minimum), let high = Int(maximum), low >= 1, high >= low else {
            throw APIError("InvalidParameterValue", "MinCount (\(minimum)) and MaxCount (\(maximum)) must be at least 1, MinCount at most MaxCount")
        }
        guard low <= EC2InstanceCalls.launchLimit else {
            throw APIError("InstanceLimitExceeded", "Your quota allows for \(EC2InstanceCalls.launchLimit) more running instance(s) per launch. "
                           + "You requested at least \(low).")
        }
        return min(high, EC2InstanceCalls.launchLimit)
    }

    /// The user data: base64 of a shell script lbnet can run.
    static func script(_ base64: String) throws(APIError) -> String {
        guard let data = Data(base64Encoded: base64) else {
            throw APIError("InvalidParameterValue", "Invalid BASE64 encoding of user data.")
        }
        guard data.count <= UserDataScript.maximumSize else {
            throw APIError("InvalidParameterValue", "User data is limited to \(UserDataScript.maximumSize) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw APIError("InvalidParameterValue", "lbnet runs user data only as a shell script; this user data is not UTF-8 text")
        }
        if let problem = UserDataScript.problem(with: text) {
            throw APIError("InvalidParameterValue", "The user data \(problem)")
        }
        return text
    }

    static func flag(_ p: QueryParameters, _ name: String) throws(APIError) -> Bool {
        guard let text = p[name] else { return false }
        guard let value = Bool(text) else {
            throw APIError("InvalidParameterValue", "Value (\(text)) for parameter \(name) is invalid. Expected 'true' or 'false'.")
        }
        return value
    }
}
