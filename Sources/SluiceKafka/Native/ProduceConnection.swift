#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection to a broker for the native produce path: requests are written
/// whole (gathered from the batches' own buffers with `sendmsg`, so batch bytes are
/// never copied into a request) and pipelined; responses are read when they are
/// there and handed over frame by frame, in the order Kafka answers (the order sent).
///
/// Ownership rule: the connection owns its socket and its receive buffer and frees
/// both in `deinit`/``close()``; the ``NativeProducer`` that made it is its only user
/// (one thread).
package final class ProduceConnection {
    /// The broker's id.
    package let brokerID: Int32
    /// `host:port`.
    package let address: String
    /// The socket (-1 once closed).
    package private(set) var descriptor: Int32
    private var received: UnsafeMutableRawPointer
    private var receivedCapacity = 64 << 10
    private var receivedCount = 0
    private var iovecs: [iovec] = []

    /// Connects; `timeoutMs` bounds the connect and each blocking write.
    /// - Throws: ``ProtocolError/connection(address:reason:)``.
    package init(brokerID: Int32, address: String, timeoutMs: Int) throws {
        self.brokerID = brokerID
        self.address = address
        let (host, port) = try SocketConnect.split(address)
        descriptor = try SocketConnect.open(host: host, port: port, timeoutMs: timeoutMs)
        received = .allocate(byteCount: receivedCapacity, alignment: 16)
        var size: Int32 = 4 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit {
        close()
        received.deallocate()
    }

    /// Closes the socket.
    package func close() {
        if descriptor >= 0 {
            Glibc.close(descriptor)
            descriptor = -1
        }
    }

    /// Whether the socket is open.
    package var isOpen: Bool { descriptor >= 0 }

    /// Writes one request: `framing` holds every byte but the batches, which go in
    /// at the given offsets of `framing` (ascending).
    /// - Throws: ``ProtocolError/connection(address:reason:)`` (the connection is then closed).
    package func write(framing: [UInt8], batches: [(at: Int, bytes: UnsafeRawBufferPointer)]) throws {
        guard descriptor >= 0 else { throw ProtocolError.connection(address: address, reason: "closed") }
        try framing.withUnsafeBytes { framingBytes in
            iovecs.removeAll(keepingCapacity: true)
            var from = 0
            for batch in batches {
                if batch.at > from {
                    iovecs.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: framingBytes.baseAddress! + from), iov_len: batch.at - from))
                }
                iovecs.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: batch.bytes.baseAddress!), iov_len: batch.bytes.count))
                from = batch.at
            }
            if framingBytes.count > from {
                iovecs.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: framingBytes.baseAddress! + from), iov_len: framingBytes.count - from))
            }
            try writeAll()
        }
    }

    private func writeAll() throws {
        var first = 0
        while first < iovecs.count {
            let count = min(iovecs.count - first, 1024 /* Linux IOV_MAX */)
            // sendmsg rather than writev: MSG_NOSIGNAL turns a closed peer into EPIPE
            // instead of SIGPIPE.
            let written = iovecs.withUnsafeMutableBufferPointer { vectors in
                var message = msghdr()
                message.msg_iov = vectors.baseAddress! + first
                message.msg_iovlen = count
                return sendmsg(descriptor, &message, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure()
            }
            var left = written
            while left > 0 && first < iovecs.count {
                if left >= iovecs[first].iov_len {
                    left -= iovecs[first].iov_len
                    first += 1
                } else {
                    iovecs[first].iov_base += left
                    iovecs[first].iov_len -= left
                    left = 0
                }
            }
            while first < iovecs.count && iovecs[first].iov_len == 0 { first += 1 }
        }
    }

    /// Reads what the broker has sent (waiting when `wait` is set, up to the socket
    /// timeout) and calls `frame` for each complete response with its correlation id
    /// and body.
    /// - Returns: how many responses were handed over.
    /// - Throws: ``ProtocolError`` when the connection failed or a frame is malformed.
    @discardableResult
    package func readResponses(wait: Bool, _ frame: (Int32, UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard descriptor >= 0 else { throw ProtocolError.connection(address: address, reason: "closed") }
        if receivedCapacity - receivedCount < 16 << 10 {
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: receivedCapacity * 2, alignment: 16)
            bigger.copyMemory(from: received, byteCount: receivedCount)
            received.deallocate()
            received = bigger
            receivedCapacity *= 2
        }
        let got = recv(descriptor, received + receivedCount, receivedCapacity - receivedCount, wait ? 0 : Int32(MSG_DONTWAIT))
        if got < 0 {
            if errno == EINTR || (!wait && (errno == EAGAIN || errno == EWOULDBLOCK)) { return 0 }
            throw failure()
        }
        if got == 0 {
            close()
            throw ProtocolError.connection(address: address, reason: "closed by the broker")
        }
        receivedCount += got
        var consumed = 0
        var frames = 0
        while receivedCount - consumed >= 8 {
            let size = Int(Int32(bigEndian: (received + consumed).loadUnaligned(as: Int32.self)))
            guard size >= 4, size < 256 << 20 else {
                close()
                throw ProtocolError.malformed("response size \(size) from \(address)")
            }
            if receivedCount - consumed - 4 < size {
                if size + 4 > receivedCapacity {
                    let bigger = UnsafeMutableRawPointer.allocate(byteCount: size + 4 + (16 << 10), alignment: 16)
                    bigger.copyMemory(from: received + consumed, byteCount: receivedCount - consumed)
                    received.deallocate()
                    received = bigger
                    receivedCapacity = size + 4 + (16 << 10)
                    receivedCount -= consumed
                    consumed = 0
                }
                break
            }
            let correlation = Int32(bigEndian: (received + consumed + 4).loadUnaligned(as: Int32.self))
            try frame(correlation, UnsafeRawBufferPointer(start: received + consumed + 8, count: size - 4))
            consumed += 4 + size
            frames += 1
        }
        if consumed > 0 {
            let left = receivedCount - consumed
            if left > 0 { received.copyMemory(from: received + consumed, byteCount: left) }
            receivedCount = left
        }
        return frames
    }

    private func failure() -> ProtocolError {
        let reason = errno == EAGAIN || errno == EWOULDBLOCK ? "timed out" : String(cString: strerror(errno))
        close()
        return ProtocolError.connection(address: address, reason: reason)
    }
}
