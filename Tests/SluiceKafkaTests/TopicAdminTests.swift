@testable import SluiceKafka
import Testing

/// The admin calls against the embedded cluster, which does not serve them: a clear
/// error within the timeout, never a hang or a crash. (The success paths need a real
/// broker; the embedded cluster has no CreateTopics or DescribeConfigs.)
@Suite("TopicAdmin")
struct TopicAdminTests {
    func admin(_ cluster: EmbeddedKafka) -> TopicAdmin {
        var config = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        config["log_level"] = "0"
        return TopicAdmin(configuration: config)
    }

    @Test("an invalid topic definition names the topic before anything is sent")
    func invalidDefinition() throws {
        let cluster = try EmbeddedKafka()
        #expect {
            try admin(cluster).createTopic("bad-topic", partitions: -5, timeoutMs: 1_000)
        } throws: { error in
            guard case let KafkaError.topicFailed(topic, _) = error else { return false }
            return topic == "bad-topic"
        }
    }

    @Test("CreateTopics and DescribeConfigs on a cluster that does not answer them fail as not supported, in time")
    func notSupported() throws {
        let cluster = try EmbeddedKafka()
        let start = ContinuousClock.now
        #expect {
            try admin(cluster).createTopic("t", partitions: 1, timeoutMs: 1_000)
        } throws: { error in
            if case KafkaError.adminNotSupported = error { return true }
            return false
        }
        #expect {
            _ = try admin(cluster).topicConfig("t", timeoutMs: 1_000)
        } throws: { error in
            if case KafkaError.adminNotSupported = error { return true }
            return false
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }
}
