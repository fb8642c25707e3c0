namespace OrderX.Deployment.Tests;

/// <summary>infra/docker-compose.yml, checked with Debian's docker-compose, which needs no Docker engine to validate.</summary>
public class ComposeFileTests
{
    private static readonly string[] OrderXServices = ["user", "product", "order", "payment", "notification"];

    private static Dictionary<object, object> Resolved()
    {
        var compose = Repo.RequireTool("docker-compose");
        var (exit, output) = Repo.Run(compose, "-f infra/docker-compose.yml config");
        Assert.True(exit == 0, output);
        return Yaml.Documents(output).Single().Map("services");
    }

    [Fact]
    public void The_compose_file_is_valid_with_and_without_the_kafka_profile()
    {
        var compose = Repo.RequireTool("docker-compose");
        var plain = Repo.Run(compose, "-f infra/docker-compose.yml config -q");
        var kafka = Repo.Run(compose, "-f infra/docker-compose.yml --profile kafka config --services");

        Assert.True(plain.Exit == 0, plain.Output);
        Assert.True(kafka.Exit == 0, kafka.Output);
        Assert.Contains("kafka", kafka.Output.Split('\n', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Only_the_gateway_and_the_local_management_ui_are_published_on_the_host()
    {
        var services = Resolved();
        var published = services.Where(s => s.Value.At("ports") is not null && s.Value.At("profiles") is null)
            .ToDictionary(s => (string)s.Key, s => s.Value.List("ports"));

        Assert.Equal(["gateway", "rabbitmq"], published.Keys.Order());
        Assert.Equal("8080", Assert.Single(published["gateway"]).At("target")?.ToString());
        Assert.StartsWith("127.0.0.1:15672:15672", Assert.Single(published["rabbitmq"])!.ToString());
        // The observability profile's user interfaces answer on this machine only.
        var observability = services.Where(s => s.Value.List("profiles").Contains("observability")).ToDictionary(s => (string)s.Key, s => s.Value);
        Assert.Equal(["grafana", "jaeger", "prometheus"], observability.Keys.Order());
        Assert.All(observability.Values.SelectMany(s => s.List("ports")), port => Assert.Equal("127.0.0.1", port.At("host_ip")?.ToString() ?? port.ToString()!.Split(':')[0]));
    }

    [Fact]
    public void The_observability_profile_scrapes_every_service_provisions_the_dashboard_and_takes_the_traces()
    {
        var services = Resolved();
        Assert.Contains(services["prometheus"].List("volumes"), v => v.ToString()!.Contains("prometheus.compose.yml:/etc/prometheus/prometheus.yml"));
        Assert.Contains(services["prometheus"].List("volumes"), v => v.ToString()!.Contains("alerts.yml:/etc/prometheus/alerts.yml"));
        Assert.Contains(services["grafana"].List("volumes"), v => v.ToString()!.Contains("grafana/provisioning:/etc/grafana/provisioning"));
        Assert.Contains(services["grafana"].List("volumes"), v => v.ToString()!.Contains("grafana/dashboards:/var/lib/grafana/dashboards"));
        var scrape = File.ReadAllText(Repo.PathOf("infra", "prometheus", "prometheus.compose.yml"));
        foreach (var name in OrderXServices)
            Assert.Contains($"names: [{name}], type: A, port: 8080", scrape);
        // The gateway's metrics port is open in its container and scraped there, never published.
        Assert.Contains("names: [gateway], type: A, port: 9464", scrape);
        Assert.Contains("names: [web], type: A, port: 8080", scrape);
        Assert.Equal("8080;9464", services["gateway"].Text("environment.ASPNETCORE_HTTP_PORTS"));
        var traced = Repo.Run(Repo.RequireTool("docker-compose"), "-f infra/docker-compose.yml config",
            environment: new Dictionary<string, string> { ["ORDERX_OTLP_ENDPOINT"] = "http://jaeger:4317" });
        var withJaeger = Yaml.Documents(traced.Output).Single().Map("services");
        foreach (var name in OrderXServices.Append("web").Append("gateway"))
            Assert.Equal("http://jaeger:4317", withJaeger[name].Text("environment.OTEL_EXPORTER_OTLP_ENDPOINT"));
        Assert.Equal("true", withJaeger["jaeger"].Text("environment.COLLECTOR_OTLP_ENABLED"));
    }

    [Fact]
    public void Every_service_starts_only_once_what_it_needs_is_healthy()
    {
        var services = Resolved();
        foreach (var name in OrderXServices)
        {
            Assert.Equal("service_healthy", services[name].Text("depends_on.postgres.condition"));
            Assert.Equal("service_healthy", services[name].Text("depends_on.rabbitmq.condition"));
        }
        foreach (var name in OrderXServices)
            Assert.Equal("service_healthy", services["gateway"].Text($"depends_on.{name}.condition"));
        Assert.NotNull(services["postgres"].At("healthcheck.test"));
        Assert.NotNull(services["rabbitmq"].At("healthcheck.test"));
    }

    [Fact]
    public void State_lives_in_named_volumes_that_survive_down_and_up()
    {
        var services = Resolved();
        Assert.Contains(services["postgres"].List("volumes"), v => v.ToString()!.StartsWith("pgdata:/var/lib/postgresql/data", StringComparison.Ordinal));
        Assert.Contains(services["rabbitmq"].List("volumes"), v => v.ToString()!.StartsWith("rabbitdata:/var/lib/rabbitmq", StringComparison.Ordinal));
        Assert.Contains(services["notification"].List("volumes"), v => v.ToString()!.StartsWith("mail:/data", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_service_logs_in_to_its_own_database_with_its_own_login_created_by_the_init_script()
    {
        var services = Resolved();
        var init = File.ReadAllText(Repo.PathOf("infra", "db", "init", "01-orderx-databases.sh"));
        Assert.Contains("for service in user product order payment notification", init);
        Assert.Contains("REVOKE ALL ON DATABASE", init);
        foreach (var name in OrderXServices)
        {
            var connection = services[name].Text($"environment.ConnectionStrings__{name}");
            Assert.Contains($"Database=orderx_{name};Username=orderx_{name};", connection);
        }
        var (exit, output) = Repo.Run("bash", "-n infra/db/init/01-orderx-databases.sh");
        Assert.True(exit == 0, output);
    }
}
