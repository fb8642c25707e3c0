using System.Text.RegularExpressions;

namespace OrderX.Deployment.Tests;

/// <summary>
/// Docker cannot run here, so the Dockerfiles are checked for what they promise and the shared build stage's
/// commands are executed as they are written, from the repository root (the build context), outside Docker.
/// Every deployable's Dockerfile starts from the two shared stages of infra/docker/Dockerfile and adds only its own.
/// </summary>
public partial class DockerfileTests(SharedImageBuild build) : IClassFixture<SharedImageBuild>
{
    internal const string Shared = "infra/docker/Dockerfile";

    public static TheoryData<string, string> Images() => new()
    {
        { "gateway/Dockerfile", "OrderX.Gateway" },
        { "services/user-service/Dockerfile", "OrderX.Users" },
        { "services/product-service/Dockerfile", "OrderX.Products" },
        { "services/order-service/Dockerfile", "OrderX.Orders" },
        { "services/payment-service/Dockerfile", "OrderX.Payments" },
        { "services/notification-service/Dockerfile", "OrderX.Notifications" },
        { "web/Dockerfile", "OrderX.Web" },
        { "hosts/OrderX.AllInOne/Dockerfile", "OrderX.AllInOne" },
    };

    internal static string[] Lines(string dockerfile) =>
        File.ReadAllText(Repo.PathOf(dockerfile)).Replace("\\\n", " ").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    [Fact]
    public void The_shared_stages_are_multi_stage_non_root_and_check_the_images_own_readiness()
    {
        var lines = Lines(Shared);

        Assert.Equal(["FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime"], lines.Where(l => l.StartsWith("FROM ")));
        Assert.Contains("USER $APP_UID", lines);
        Assert.Contains("HEALTHCHECK --interval=10s --timeout=5s --start-period=40s --retries=3 CMD [\"/app/orderx\", \"healthcheck\"]", lines);
        Assert.Contains("ENTRYPOINT [\"/app/orderx\"]", lines);
        // The restore layer copies only project and build files, so editing a source file does not invalidate it.
        var restore = Array.FindIndex(lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0);
        Assert.All(lines.Take(restore).Where(l => l.StartsWith("COPY ")), l => Assert.Matches(@"\.(csproj|props|json|config) ", l));
    }

    [Fact]
    public void The_restore_layer_copies_every_project_a_deployable_is_built_from()
    {
        var copied = Lines(Shared).Where(l => l.StartsWith("COPY ")).Select(l => l.Split(' ')[1]).Where(s => s.EndsWith(".csproj")).ToHashSet();
        var needed = new HashSet<string>();
        var pending = new Stack<string>(["hosts/OrderX.AllInOne/OrderX.AllInOne.csproj"]);
        while (pending.TryPop(out var project))
        {
            if (!needed.Add(project))
                continue;
            var folder = Path.GetDirectoryName(project)!;
            foreach (Match reference in ProjectReference().Matches(File.ReadAllText(Repo.PathOf(project))))
                pending.Push(Path.GetRelativePath(Repo.Root, Path.GetFullPath(Path.Combine(Repo.Root, folder, reference.Groups[1].Value.Replace('\\', '/')))));
        }

        Assert.Empty(needed.Except(copied));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Each_deployables_dockerfile_starts_from_the_shared_stages_and_takes_only_its_own_entry_point(string dockerfile, string assembly)
    {
        var lines = Lines(dockerfile);

        Assert.Equal(["FROM orderx/build AS build", "FROM orderx/runtime AS runtime"], lines.Where(l => l.StartsWith("FROM ")));
        Assert.Equal([$"COPY --from=build /app/{assembly}/ ./"], lines.Where(l => l.StartsWith("COPY ")));
        Assert.DoesNotContain(lines, l => l.StartsWith("RUN ") || l.StartsWith("USER ") || l.StartsWith("ENTRYPOINT "));
        Assert.Contains($"docker build -f {dockerfile} ", File.ReadAllText(Repo.PathOf(dockerfile)));
    }

    [Fact]
    public void Everything_the_shared_dockerfile_copies_exists_in_the_repository()
    {
        foreach (var line in Lines(Shared).Where(l => l.StartsWith("COPY ") && !l.Contains("--from=")))
        {
            var sources = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            foreach (var source in sources)
                Assert.True(File.Exists(Repo.PathOf(source)) || Directory.Exists(Repo.PathOf(source)), $"{Shared}: {source} does not exist");
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void The_shared_build_restores_and_publishes_each_deployables_entry_point(string dockerfile, string assembly)
    {
        var project = Lines(Shared).Single(l => l.StartsWith("RUN infra/docker/publish.sh ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Single(p => p.EndsWith($"/{assembly}.csproj", StringComparison.Ordinal));

        var published = build.Publish(project);

        Assert.True(published.Exit == 0, $"{Shared}: publishing {project} failed:\n{published.Output}");
        var app = Path.Combine(build.AppFolder, assembly);
        Assert.True(File.Exists(Path.Combine(app, $"{assembly}.dll")), $"{dockerfile}'s image would have no {assembly}.dll");
        Assert.Contains($"exec dotnet /app/{assembly}.dll \"$@\"", File.ReadAllText(Path.Combine(app, "orderx")));
    }

    [GeneratedRegex("<ProjectReference Include=\"([^\"]+)\"")]
    private static partial Regex ProjectReference();
}
