import ArgumentParser
import CSluiceFixedPorts
import SluiceKafka
#if canImport(Glibc)
import Glibc
#endif

/// Starts the embedded cluster with its brokers on fixed loopback ports, so that a
/// client can reconnect to a restarted `sluice broker` at the address it knows.
///
/// librdkafka's mock cluster picks its ports itself; `CSluiceFixedPorts` substitutes
/// the asked ones for its binds while the cluster is created (one thread, armed and
/// disarmed here).
enum FixedBrokerPorts {
    /// A cluster of `brokers` brokers on `127.0.0.1:firstPort` and the ports after it.
    /// - Throws: `ValidationError` naming the port when one is taken or the ports did not hold.
    static func cluster(brokers: Int, firstPort: Int) throws -> EmbeddedKafka {
        // librdkafka 2.0.2 aborts (an assertion in rd_kafka_mock_cluster_destroy) when a
        // mock broker cannot bind, so taken ports are found here first.
        for port in firstPort..<(firstPort + brokers) {
            if let reason = unavailable(port: port) {
                throw ValidationError("cannot listen on 127.0.0.1:\(port) for --port: \(reason)")
            }
        }
        sluice_fixed_ports_arm(Int32(firstPort), Int32(brokers))
        let cluster: EmbeddedKafka
        do {
            cluster = try EmbeddedKafka(brokers: brokers)
        } catch {
            _ = sluice_fixed_ports_disarm()
            let code = sluice_fixed_ports_error()
            guard code != 0 else { throw error }
            throw ValidationError(
                "cannot listen on 127.0.0.1:\(sluice_fixed_ports_failed_port()) for --port: \(String(cString: strerror(code)))")
        }
        let bound = Int(sluice_fixed_ports_disarm())
        let expected = (0..<brokers).map { "127.0.0.1:\(firstPort + $0)" }.joined(separator: ",")
        guard bound == brokers, cluster.bootstrapServers == expected else {
            throw ValidationError("--port \(firstPort): the brokers listen on \(cluster.bootstrapServers), not \(expected)")
        }
        return cluster
    }

    /// Why 127.0.0.1:`port` cannot be listened on (bound as the mock binds, with
    /// SO_REUSEADDR, then closed), or nil when it can.
    private static func unavailable(port: Int) -> String? {
        let (fd, error) = listeningSocket(port: port, reuseAddress: true)
        guard fd >= 0 else { return String(cString: strerror(error)) }
        close(fd)
        return nil
    }

    /// A socket listening on 127.0.0.1:`port` that the caller closes, or -1 and the errno.
    static func listeningSocket(port: Int, reuseAddress: Bool) -> (fd: Int32, error: Int32) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return (-1, errno) }
        var on: Int32 = 1
        if reuseAddress { _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 1) == 0 else {
            let error = errno
            close(fd)
            return (-1, error)
        }
        return (fd, 0)
    }
}
