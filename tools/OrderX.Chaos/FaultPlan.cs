namespace OrderX.Chaos;

/// <summary>The faults of one round, in turn: every service killed and restarted, extra instances, the broker, the database, the network.</summary>
public static class FaultPlan
{
    public static IReadOnlyList<Fault> Round(ChaosDeployment deployment, InfrastructureFaults infrastructure, ChaosOptions options, Action<string> log)
    {
        var faults = new List<Fault>();
        foreach (var service in new[] { "order", "payment", "product", "notification", "user", "gateway" })
            faults.Add(new Fault($"kill -9 {service}, restart", async () =>
            {
                var pid = deployment.Kill(service);
                log($"  killed {service} (process {pid}); restarting it with scripts/start.sh --only {service}");
                await Task.Delay(TimeSpan.FromSeconds(2));
                await deployment.RestartAsync(service);
            }));
        foreach (var service in new[] { "payment", "product" })
            faults.Add(new Fault($"second {service} comes and goes", async () =>
            {
                var extra = await deployment.StartExtraInstanceAsync(service);
                log($"  a second {service} instance (process {extra.Id}) is consuming; it is killed in 5 s");
                await Task.Delay(TimeSpan.FromSeconds(5));
                extra.Kill();
                await extra.WaitForExitAsync();
            }));
        if (options.Kafka is null)
            faults.Add(new Fault("network to RabbitMQ cut for 8 s", async () =>
            {
                deployment.BrokerProxy.Stop();
                await Task.Delay(TimeSpan.FromSeconds(8));
                deployment.BrokerProxy.Start();
            }));
        if (options.InfrastructureFaults)
        {
            if (options.Kafka is null)
            {
                faults.Add(new Fault("RabbitMQ stopped and started", infrastructure.RestartRabbitMqAsync));
                faults.Add(new Fault("RabbitMQ killed (kill -9), started", infrastructure.KillRabbitMqAsync));
            }
            faults.Add(new Fault("PostgreSQL restarted", infrastructure.RestartPostgresAsync));
            faults.Add(new Fault("PostgreSQL stopped -m immediate, started", infrastructure.StopPostgresImmediatelyAsync));
        }
        return faults;
    }
}
