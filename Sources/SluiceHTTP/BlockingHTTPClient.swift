import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over a real TCP connection (IPv4 loopback or
/// any IPv4 address): one request per connection (`Connection: close`), the reply
/// read to EOF, chunked bodies decoded. `sluice bench` uses it to drive workers'
/// REST APIs and scrape `/metrics`; the tests use it to hit the REST API as a user would.
public enum BlockingHTTPClient {
    /// A reply.
    public struct Reply: Sendable {
        /// The status code.
        public var status: Int
        /// The body (dechunked).
        public var body: Data
        /// Headers, names lowercased.
        public var headers: [String: String]
        /// The body as JSON, if it is JSON.
        public var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
        /// The body as a JSON object (empty if it is not one).
        public var object: [String: Any] { json as? [String: Any] ?? [:] }
        /// The body as text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends one request on a fresh TCP connection (`Connection: close`) and reads the reply to EOF.
    public static func call(_ method: String, _ url: String, json: Any? = nil, raw: String? = nil, headers: [String: String] = [:], timeoutSeconds: Int = 60
    ) throws -> Reply {
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port else {
            throw BlockingHTTPClientError.badURL(url)
        }
        var body = Data()
        if let json { body = try JSONSerialization.data(withJSONObject: json) } else if let raw { body = Data(raw.utf8) }
        let target = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
        var head = "\(method) \(target)\(query) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        if !body.isEmpty { head += "Content-Type: application/json\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let request = Data((head + "\r\n").utf8) + body

        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BlockingHTTPClientError.io("socket") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw BlockingHTTPClientError.io("connect to \(host):\(port): \(String(cString: strerror(errno)))") }
        try request.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let count = send(fd, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                guard count > 0 else { throw BlockingHTTPClientError.io("send") }
                sent += count
            }
        }
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 { throw BlockingHTTPClientError.io("recv: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            reply.append(contentsOf: buffer[0..<count])
        }
        return try parse(reply)
    }

    private static func parse(_ reply: Data) throws -> Reply {
        guard let split = reply.range(of: Data("\r\n\r\n".utf8)) else { throw BlockingHTTPClientError.io("no HTTP header in \(reply.count) bytes") }
        let lines = String(decoding: reply[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw BlockingHTTPClientError.io("bad status line \(lines.first ?? "")") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(reply[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return Reply(status: status, body: body, headers: headers)
    }

    private static func dechunk(_ data: Data) -> Data {
        var output = Data()
        var rest = data[...]
        while let lineEnd = rest.range(of: Data("\r\n".utf8)) {
            let sizeText = String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            let end = rest.index(start, offsetBy: size, limitedBy: rest.endIndex) ?? rest.endIndex
            output.append(rest[start..<end])
            rest = rest[min(rest.endIndex, rest.index(end, offsetBy: 2, limitedBy: rest.endIndex) ?? rest.endIndex)...]
        }
        return output
    }
}

/// Why a request failed before a reply arrived.
public enum BlockingHTTPClientError: Error, CustomStringConvertible {
    /// The URL is not http://IPv4:port/...
    case badURL(String)
    /// A socket call failed.
    case io(String)

    public var description: String {
        switch self {
        case let .badURL(url): return "not an http://host:port URL: \(url)"
        case let .io(what): return "HTTP request failed: \(what)"
        }
    }
}

