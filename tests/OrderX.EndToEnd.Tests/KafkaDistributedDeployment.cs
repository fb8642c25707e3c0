using OrderX.Testing;

namespace OrderX.EndToEnd.Tests;

/// <summary>
/// Distributed mode on Kafka: the same processes as <see cref="DistributedDeployment"/> (two payment and two product
/// instances sharing their consumer groups' partitions), on librdkafka's mock cluster, which this test process holds
/// and every service process reaches over TCP like a real cluster, or on the broker ORDERX_KAFKA_BOOTSTRAP names.
/// Topics and groups carry a prefix of their own.
/// </summary>
public sealed class KafkaDistributedDeployment : DistributedDeployment
{
    public override string Mode => "distributed on Kafka";

    protected override void UseTransport(Dictionary<string, string> environment)
    {
        environment["Messaging__Transport"] = "kafka";
        environment["Kafka__BootstrapServers"] = KafkaTestCluster.BootstrapServers;
        environment["Kafka__Prefix"] = $"e2e{Suffix}.";
        // A killed payment service's partitions come back only after its session runs out and the group has
        // rebalanced: the brokers' shortest session, and pending orders given longer to wait.
        environment["Kafka__SessionTimeout"] = "00:00:06";
        environment["Orders__PendingTimeout"] = "00:01:30";
    }

    // Topics of a test run are left to the cluster: the mock ends with this process, a real broker keeps them under
    // the run's own prefix.
    protected override Task RemoveBrokerStateAsync() => Task.CompletedTask;
}
