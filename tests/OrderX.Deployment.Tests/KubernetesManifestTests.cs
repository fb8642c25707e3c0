namespace OrderX.Deployment.Tests;

/// <summary>
/// infra/k8s, built with kubectl's kustomize (no cluster needed) and checked for what a deployment relies on.
/// Full schema validation needs a validator this machine cannot install (kubeconform) or an API server.
/// </summary>
public class KubernetesManifestTests
{
    public static TheoryData<string> Overlays() => new() { "dev", "prod", "kafka" };

    private static List<Dictionary<object, object>> Build(string overlay)
    {
        var kubectl = Repo.RequireTool("kubectl");
        var (exit, output) = Repo.Run(kubectl, $"kustomize infra/k8s/overlays/{overlay}");
        Assert.True(exit == 0, output);
        return Yaml.Documents(output);
    }

    private static IEnumerable<Dictionary<object, object>> OfKind(List<Dictionary<object, object>> objects, string kind) =>
        objects.Where(o => o.Text("kind") == kind);

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_deployment_has_probes_resources_and_runs_as_non_root(string overlay)
    {
        var deployments = OfKind(Build(overlay), "Deployment").ToList();

        Assert.Equal(["gateway", "notification", "order", "payment", "product", "user", "web"], deployments.Select(d => d.Text("metadata.name")).Order());
        foreach (var deployment in deployments)
        {
            var container = (Dictionary<object, object>)deployment.List("spec.template.spec.containers").Single();
            Assert.Equal("/health/ready", container.Text("readinessProbe.httpGet.path"));
            Assert.Equal("/health/live", container.Text("livenessProbe.httpGet.path"));
            Assert.NotNull(container.At("resources.requests.cpu"));
            Assert.NotNull(container.At("resources.requests.memory"));
            Assert.NotNull(container.At("resources.limits.memory"));
            Assert.Equal("true", deployment.Text("spec.template.spec.securityContext.runAsNonRoot"), ignoreCase: true);
            Assert.Equal("8080", container.List("ports").Single(p => p.Text("name") == "http").Text("containerPort"));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_pod_asks_to_be_scraped_on_a_port_it_opens_and_the_gateway_s_metrics_port_stays_inside(string overlay)
    {
        var objects = Build(overlay);

        foreach (var deployment in OfKind(objects, "Deployment"))
        {
            var name = deployment.Text("metadata.name");
            var annotations = deployment.Map("spec.template.metadata.annotations");
            var container = deployment.List("spec.template.spec.containers").Single();
            var port = annotations["prometheus.io/port"].ToString();
            Assert.Equal("true", annotations["prometheus.io/scrape"].ToString());
            Assert.Equal("/metrics", annotations["prometheus.io/path"].ToString());
            Assert.Equal(name == "gateway" ? "9464" : "8080", port);
            Assert.Contains(container.List("ports"), p => p.Text("containerPort") == port);
        }
        var gateway = OfKind(objects, "Deployment").Single(d => d.Text("metadata.name") == "gateway").List("spec.template.spec.containers").Single();
        Assert.Equal("8080;9464", gateway.List("env").Single(e => e.Text("name") == "ASPNETCORE_HTTP_PORTS").Text("value"));
        var service = OfKind(objects, "Service").Single(s => s.Text("metadata.name") == "gateway");
        Assert.Equal(["8080"], service.List("spec.ports").Select(p => p.Text("port")));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Payment_and_notification_autoscale_and_every_deployment_has_a_disruption_budget(string overlay)
    {
        var objects = Build(overlay);
        var deployments = OfKind(objects, "Deployment").Select(d => d.Text("metadata.name")).ToHashSet();

        var scaled = OfKind(objects, "HorizontalPodAutoscaler").Select(h => h.Text("spec.scaleTargetRef.name")).Order();
        Assert.Equal(["notification", "payment"], scaled);
        var budgeted = OfKind(objects, "PodDisruptionBudget").Select(p => p.Map("spec.selector.matchLabels")["app.kubernetes.io/name"].ToString());
        Assert.Equal(deployments.Order(), budgeted.Order());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void No_secret_value_is_committed_and_every_secret_reference_is_one_the_readme_explains(string overlay)
    {
        var objects = Build(overlay);
        Assert.Empty(OfKind(objects, "Secret"));

        var readme = File.ReadAllText(Repo.PathOf("README.md"));
        var references = OfKind(objects, "Deployment")
            .SelectMany(d => d.List("spec.template.spec.containers"))
            .SelectMany(c => c.List("env"))
            .Select(e => e.At("valueFrom.secretKeyRef"))
            .OfType<Dictionary<object, object>>()
            .Select(r => r["name"].ToString()!)
            .Distinct();
        Assert.All(references, name => Assert.Contains($"secret generic {name}", readme));
    }

    [Fact]
    public void The_kafka_overlay_puts_every_consuming_service_on_kafka_with_credentials_from_a_secret()
    {
        var objects = Build("kafka");
        var messaging = OfKind(objects, "ConfigMap").Single(c => c.Text("metadata.name") == "orderx-messaging");
        Assert.Equal("kafka", messaging.Text("data.Messaging__Transport"));
        Assert.Equal("false", messaging.Text("data.Kafka__CreateTopics"));
        Assert.DoesNotContain(((Dictionary<object, object>)messaging.At("data")!).Keys, key => key.ToString()!.StartsWith("RabbitMQ", StringComparison.Ordinal));
        foreach (var service in new[] { "product", "order", "payment", "notification" })
        {
            var deployment = OfKind(objects, "Deployment").Single(d => d.Text("metadata.name") == service);
            var env = deployment.List("spec.template.spec.containers").Single().List("env").ToDictionary(e => e.Text("name")!);
            Assert.DoesNotContain("RabbitMQ__Password", env.Keys);
            Assert.Equal("orderx-kafka", env["Kafka__Client__sasl.password"].Text("valueFrom.secretKeyRef.name"));
            Assert.Equal("orderx-kafka", env["Kafka__Client__sasl.username"].Text("valueFrom.secretKeyRef.name"));
        }
    }

    [Fact]
    public void The_overlays_differ_where_they_should()
    {
        var dev = OfKind(Build("dev"), "Deployment").ToDictionary(d => d.Text("metadata.name")!);
        var prod = OfKind(Build("prod"), "Deployment").ToDictionary(d => d.Text("metadata.name")!);

        Assert.All(dev.Values, d => Assert.Equal("1", d.Text("spec.replicas")));
        Assert.Equal("3", prod["gateway"].Text("spec.replicas"));
        Assert.All(dev.Values, d => Assert.Equal("orderx-dev", d.Text("metadata.namespace")));
        Assert.All(prod.Values, d => Assert.Equal("orderx", d.Text("metadata.namespace")));
        Assert.All(prod.Values, d => Assert.EndsWith(":1.0.0", ((Dictionary<object, object>)d.List("spec.template.spec.containers")[0]).Text("image")));
    }
}
