using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderX.ServiceDefaults;

namespace OrderX.Deployment.Tests;

/// <summary>
/// Every variable a Dockerfile, the compose file or the Kubernetes manifests set for a service must be a
/// configuration key that service reads: a typo or a leftover would otherwise be silently ignored.
/// Each service's app is built in-process with those settings and a recorder of every key it looks up.
/// </summary>
[Collection("configuration keys")]
public class ConfigurationKeysTests
{
    private static IReadOnlyDictionary<string, (Func<string[], WebApplication> Build, string Dockerfile)> Services => ServiceHosts.All;

    public static TheoryData<string> ServiceNames() => [.. Services.Keys];

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public async Task Every_variable_the_dockerfile_sets_is_read(string service) =>
        await AssertAllReadAsync(service, DockerfileEnvironment(service), "Dockerfile");

    // The compose file sets both brokers' settings; ORDERX_TRANSPORT picks the one that is read.
    [Theory]
    [MemberData(nameof(ServiceNames))]
    public async Task Every_variable_the_compose_file_sets_is_read_on_the_transport_it_selects(string service)
    {
        var compose = Repo.RequireTool("docker-compose");
        List<string>? unreadEverywhere = null;
        foreach (var transport in new[] { "rabbitmq", "kafka" })
        {
            var (exit, output) = Repo.Run(compose, "-f infra/docker-compose.yml config", environment: new Dictionary<string, string> { ["ORDERX_TRANSPORT"] = transport });
            Assert.True(exit == 0, output);
            var environment = Yaml.Documents(output).Single().Map($"services.{service}").At("environment") as Dictionary<object, object> ?? [];
            var settings = environment.ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "");
            var unread = await UnreadAsync(service, Merge(DockerfileEnvironment(service), settings), settings.Keys);
            unreadEverywhere = unreadEverywhere is null ? unread : [.. unreadEverywhere.Intersect(unread)];
        }
        Assert.True(unreadEverywhere!.Count == 0, $"docker-compose.yml sets {string.Join(", ", unreadEverywhere)} for the {service} service, which never reads it");
    }

    public static TheoryData<string, string> ServicesAndOverlays()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in Services.Keys)
            foreach (var overlay in new[] { "prod", "kafka" })
                data.Add(service, overlay);
        return data;
    }

    [Theory]
    [MemberData(nameof(ServicesAndOverlays))]
    public async Task Every_variable_the_kubernetes_manifests_set_is_read(string service, string overlay)
    {
        var kubectl = Repo.RequireTool("kubectl");
        var (exit, output) = Repo.Run(kubectl, $"kustomize infra/k8s/overlays/{overlay}");
        Assert.True(exit == 0, output);
        var objects = Yaml.Documents(output);
        var configMaps = objects.Where(o => o.Text("kind") == "ConfigMap").ToDictionary(o => o.Text("metadata.name")!, o => o.At("data") as Dictionary<object, object> ?? []);
        var deployment = objects.Single(o => o.Text("kind") == "Deployment" && o.Text("metadata.name") == service);
        var container = deployment.List("spec.template.spec.containers").Single();
        var settings = new Dictionary<string, string>();
        foreach (var source in container.List("envFrom"))
            foreach (var (key, value) in configMaps[source.Text("configMapRef.name")!])
                settings[key.ToString()!] = value?.ToString() ?? "";
        foreach (var variable in container.List("env"))
            settings[variable.Text("name")!] = variable.Text("value") ?? "Host=from-a-secret;Password=from-a-secret";
        await AssertAllReadAsync(service, Merge(DockerfileEnvironment(service), settings), "infra/k8s", settings.Keys);
    }

    private static async Task AssertAllReadAsync(string service, Dictionary<string, string> environment, string source, IEnumerable<string>? toCheck = null)
    {
        var unread = await UnreadAsync(service, environment, toCheck);
        Assert.True(unread.Count == 0, $"{source} sets {string.Join(", ", unread)} for the {service} service, which never reads it");
    }

    private static async Task<List<string>> UnreadAsync(string service, Dictionary<string, string> environment, IEnumerable<string>? toCheck = null)
    {
        var recorder = ConfigurationKeyRecorder.Start();
        try
        {
            var args = environment.Where(e => !IsRuntimeKnob(e.Key)).Select(e => $"--{ConfigurationKey(e.Key)}={e.Value}").ToArray();
            await using var app = Services[service].Build(args);
            app.Services.GetRequiredService<OptionsWarmup>().BindAll();
        }
        finally
        {
            ConfigurationKeyRecorder.Stop();
        }
        return (toCheck ?? environment.Keys).Where(key => !IsRuntimeKnob(key) && !recorder.WasRead(ConfigurationKey(key))).ToList();
    }

    // DOTNET_* variables configure the runtime itself (GC mode and the like), not the app's configuration.
    private static bool IsRuntimeKnob(string key) => key.StartsWith("DOTNET_", StringComparison.Ordinal);

    // ASPNETCORE_X reaches the app as X; A__B is the key A:B.
    private static string ConfigurationKey(string variable) =>
        (variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal) ? variable["ASPNETCORE_".Length..] : variable).Replace("__", ":");

    // What the image sets: the shared runtime stage's variables, then the deployable's own.
    private static Dictionary<string, string> DockerfileEnvironment(string service) =>
        Merge(EnvironmentOf("infra/docker/Dockerfile"), EnvironmentOf(Services[service].Dockerfile));

    private static Dictionary<string, string> EnvironmentOf(string dockerfile)
    {
        var text = File.ReadAllText(Repo.PathOf(dockerfile)).Replace("\\\n", " ");
        var env = text.Split('\n').Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)).SelectMany(l => l[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return env.Select(pair => pair.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string> image, Dictionary<string, string> deployment)
    {
        var merged = new Dictionary<string, string>(image);
        foreach (var (key, value) in deployment)
            merged[key] = value;
        return merged;
    }
}
