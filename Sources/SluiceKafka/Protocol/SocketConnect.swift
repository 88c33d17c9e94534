#if canImport(Glibc)
import Glibc
#endif

/// Opening TCP connections to brokers (shared by ``BrokerConnection`` and the
/// native produce path's ``ProduceConnection``).
enum SocketConnect {
    /// A connected, blocking TCP socket to `host:port` with `TCP_NODELAY` and
    /// `timeoutMs` as its send and receive timeout; the caller owns the descriptor.
    /// - Throws: ``ProtocolError/connection(address:reason:)``.
    static func open(host: String, port: Int, timeoutMs: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw ProtocolError.connection(address: "\(host):\(port)", reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            if fd >= 0 {
                setTimeouts(fd, milliseconds: timeoutMs)
                if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                    var one: Int32 = 1
                    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    return fd
                }
                lastError = String(cString: strerror(errno))
                Glibc.close(fd)
            }
            candidate = info.pointee.ai_next
        }
        throw ProtocolError.connection(address: "\(host):\(port)", reason: lastError)
    }

    /// Splits `host:port` (IPv6 hosts in brackets).
    static func split(_ address: String) throws -> (host: String, port: Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw ProtocolError.connection(address: address, reason: "not host:port")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }

    static func setTimeouts(_ fd: Int32, milliseconds: Int) {
        var time = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }
}
