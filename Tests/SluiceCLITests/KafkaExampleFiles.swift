/// Apache Kafka's own Kafka Connect example files, as fixtures: the settings of
/// `config/connect-standalone.properties`, `connect-distributed.properties`,
/// `connect-file-source.properties` and `connect-file-sink.properties` in
/// apache/kafka (3.x), without their license and explanatory comments. As a user
/// moving over would, only addresses and paths are changed: `bootstrap.servers`,
/// `listeners` (commented out in Kafka's files; a free loopback port here), the
/// offsets file, and `offset.flush.interval.ms` (10 s there, 1 s here so the test
/// is quick).
enum KafkaExampleFiles {
    static func standalone(bootstrap: String, offsets: String) -> String {
        """
        bootstrap.servers=\(bootstrap)
        key.converter=org.apache.kafka.connect.json.JsonConverter
        value.converter=org.apache.kafka.connect.json.JsonConverter
        key.converter.schemas.enable=true
        value.converter.schemas.enable=true
        offset.storage.file.filename=\(offsets)
        offset.flush.interval.ms=1000
        listeners=HTTP://127.0.0.1:0
        #plugin.path=

        """
    }

    static func distributed(bootstrap: String) -> String {
        """
        bootstrap.servers=\(bootstrap)
        group.id=connect-cluster
        key.converter=org.apache.kafka.connect.json.JsonConverter
        value.converter=org.apache.kafka.connect.json.JsonConverter
        key.converter.schemas.enable=true
        value.converter.schemas.enable=true
        offset.storage.topic=connect-offsets
        offset.storage.replication.factor=1
        #offset.storage.partitions=25
        config.storage.topic=connect-configs
        config.storage.replication.factor=1
        status.storage.topic=connect-status
        status.storage.replication.factor=1
        #status.storage.partitions=5
        offset.flush.interval.ms=1000
        listeners=HTTP://127.0.0.1:0
        #rest.advertised.host.name=
        #rest.advertised.port=
        #rest.advertised.listener=
        #plugin.path=

        """
    }

    static let fileSource = """
        name=local-file-source
        connector.class=FileStreamSource
        tasks.max=1
        file=test.txt
        topic=connect-test

        """

    static let fileSink = """
        name=local-file-sink
        connector.class=FileStreamSink
        tasks.max=1
        file=test.sink.txt
        topics=connect-test

        """
}
