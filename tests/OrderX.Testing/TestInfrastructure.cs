namespace OrderX.Testing;

/// <summary>
/// Where the integration tests find PostgreSQL and RabbitMQ: localhost as scripts/infra.sh sets them up,
/// or wherever ORDERX_TEST_POSTGRES / ORDERX_TEST_RABBITMQ_HOST point.
/// </summary>
public static class TestInfrastructure
{
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("ORDERX_TEST_POSTGRES") ?? "Host=localhost;Port=5432;Username=orderx;Password=orderx";

    public static string RabbitMqHost => Environment.GetEnvironmentVariable("ORDERX_TEST_RABBITMQ_HOST") ?? "localhost";

    /// <summary>A short unique suffix, so concurrent runs never share a database, exchange or queue.</summary>
    public static string UniqueSuffix() => Guid.NewGuid().ToString("N")[..10];
}
