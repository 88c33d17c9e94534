import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One blocking TCP connection to a Kafka broker, for Sluice's own control-plane
/// requests (group membership, metadata). Requests go one at a time: a request is
/// written whole and its response read whole before the next.
///
/// Ownership rule: the connection owns its socket descriptor and closes it in
/// `deinit` or ``close()``; it is used by one thread at a time (the membership
/// thread), which is why it is a class without locks.
public final class BrokerConnection {
    /// `host:port`.
    public let address: String
    private var descriptor: Int32
    private var correlation: Int32 = 0
    private let clientID: String

    /// Connects to `host:port`; `timeoutMs` bounds the connect and every later read or write.
    /// - Throws: ``ProtocolError/connection(address:reason:)``.
    public init(host: String, port: Int, clientID: String = "sluice", timeoutMs: Int) throws {
        address = "\(host):\(port)"
        self.clientID = clientID
        descriptor = try SocketConnect.open(host: host, port: port, timeoutMs: timeoutMs)
    }

    /// Connects to `host:port` given as one string.
    public convenience init(address: String, clientID: String = "sluice", timeoutMs: Int) throws {
        let (host, port) = try SocketConnect.split(address)
        try self.init(host: host, port: port, clientID: clientID, timeoutMs: timeoutMs)
    }

    /// A connection to the first of `addresses` (`host:port`, surrounding spaces ignored)
    /// that answers.
    /// - Throws: the last address's ``ProtocolError``, or ``ProtocolError/connection(address:reason:)``
    ///   when `addresses` is empty.
    public static func first(of addresses: [String], clientID: String = "sluice", timeoutMs: Int) throws -> BrokerConnection {
        var lastError: any Error = ProtocolError.connection(address: "", reason: "no bootstrap server")
        for address in addresses {
            do {
                return try BrokerConnection(address: address.trimmingCharacters(in: .whitespaces), clientID: clientID, timeoutMs: timeoutMs)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    deinit { close() }

    /// Closes the socket; later requests fail.
    public func close() {
        if descriptor >= 0 {
            Glibc.close(descriptor)
            descriptor = -1
        }
    }

    /// Sends request `apiKey` at `version` with `body` and returns a reader over the
    /// response body (after the correlation id, which is checked).
    /// - Throws: ``ProtocolError``.
    public func send(apiKey: Int16, version: Int16, body: WireWriter) throws -> WireReader {
        guard descriptor >= 0 else { throw ProtocolError.connection(address: address, reason: "closed") }
        correlation &+= 1
        var header = WireWriter()
        header.int16(apiKey)
        header.int16(version)
        header.int32(correlation)
        header.string(clientID)
        var frame = WireWriter()
        frame.int32(Int32(header.bytes.count + body.bytes.count))
        try write(frame.bytes + header.bytes + body.bytes)
        var sizeReader = WireReader(try read(4))
        let size = Int(try sizeReader.int32())
        guard size >= 4, size < 64 << 20 else { throw ProtocolError.malformed("response size \(size)") }
        var reader = WireReader(try read(size))
        let answered = try reader.int32()
        guard answered == correlation else {
            throw ProtocolError.malformed("correlation id \(answered), expected \(correlation)")
        }
        return reader
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure() }
            sent += count
        }
    }

    private func read(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            let got = bytes.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + received, count - received, 0) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw got == 0 ? ProtocolError.connection(address: address, reason: "closed by the broker") : failure() }
            received += got
        }
        return bytes
    }

    private func failure() -> ProtocolError {
        let reason = errno == EAGAIN || errno == EWOULDBLOCK ? "timed out" : String(cString: strerror(errno))
        close()
        return ProtocolError.connection(address: address, reason: reason)
    }
}
