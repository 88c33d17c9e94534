import Foundation

/// A `sluice worker` child process for a test: started with a properties file,
/// ready once it prints `rest.url=`; killed (SIGKILL) when the test ends unless
/// stopped before. Its stderr goes to a file so a failing test can show it.
final class WorkerProcess {
    let process = Process()
    let url: String
    let logPath: String

    /// The worker's properties for `bootstrap` in the default internal topics.
    static func properties(bootstrap: String, extra: [String: String] = [:]) -> String {
        var settings = [
            "bootstrap.servers": bootstrap, "group.id": "sluice-test-cluster",
            "config.storage.topic": "connect-configs", "offset.storage.topic": "connect-offsets",
            "status.storage.topic": "connect-status", "listeners": "http://127.0.0.1:0",
            "offset.flush.interval.ms": "500", "session.timeout.ms": "3000", "heartbeat.interval.ms": "300",
        ]
        for (key, value) in extra { settings[key] = value }
        return settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n") + "\n"
    }

    init(folder: TemporaryFolder, name: String, properties: String, environment: [String: String] = [:]) throws {
        try folder.write("\(name).properties", properties)
        logPath = folder.file("\(name).log")
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = SluiceProcess.executable
        process.arguments = ["worker", folder.file("\(name).properties")]
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = [UInt8]()
        var byte: UInt8 = 0
        while read(out.fileHandleForReading.fileDescriptor, &byte, 1) == 1 && byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("rest.url=") else {
            process.waitUntilExit()
            throw WorkerStartFailure(log: (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
        }
        url = String(text.dropFirst("rest.url=".count))
    }

    /// The worker id (`host:port`) statuses name it by.
    var workerID: String {
        String(url.dropFirst("http://".count).dropLast())
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func kill(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
    }

    deinit {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

struct WorkerStartFailure: Error, CustomStringConvertible {
    let log: String
    var description: String { "the worker did not start:\n\(log)" }
}

/// A minimal HTTP/1.1 client over a real TCP connection, for the REST API tests.
enum RestClient {
    struct Reply {
        var status: Int
        var body: Data
        var headers: [String: String]
        var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends one request on a fresh TCP connection (`Connection: close`) and reads the reply to EOF.
    static func call(_ method: String, _ url: String, json: Any? = nil, raw: String? = nil, headers: [String: String] = [:]) throws -> Reply {
        guard let components = URLComponents(string: url), let host = components.host, let port = components.port else {
            throw RestClientError.badURL(url)
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
        guard fd >= 0 else { throw RestClientError.io("socket") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RestClientError.io("connect to \(host):\(port): \(String(cString: strerror(errno)))") }
        try request.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let count = send(fd, bytes.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
                guard count > 0 else { throw RestClientError.io("send") }
                sent += count
            }
        }
        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 { throw RestClientError.io("recv: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            reply.append(contentsOf: buffer[0..<count])
        }
        return try parse(reply)
    }

    private static func parse(_ reply: Data) throws -> Reply {
        guard let split = reply.range(of: Data("\r\n\r\n".utf8)) else { throw RestClientError.io("no HTTP header in \(reply.count) bytes") }
        let lines = String(decoding: reply[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw RestClientError.io("bad status line \(lines.first ?? "")") }
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

enum RestClientError: Error {
    case badURL(String)
    case io(String)
}

/// Polls `condition` every 100 ms until it holds or `seconds` pass.
func eventually(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(100_000)
    }
    return try condition()
}
