using System.Text.RegularExpressions;

namespace OrderX.Deployment.Tests;

/// <summary>
/// Docker cannot run here, so each Dockerfile is checked for what it promises and its build commands are executed
/// as they are written, from the repository root (the build context), outside Docker.
/// </summary>
public partial class DockerfileTests
{
    public static TheoryData<string, string> Images() => new()
    {
        { "gateway/Dockerfile", "OrderX.Gateway" },
        { "services/user-service/Dockerfile", "OrderX.Users" },
        { "services/product-service/Dockerfile", "OrderX.Products" },
        { "services/order-service/Dockerfile", "OrderX.Orders" },
        { "services/payment-service/Dockerfile", "OrderX.Payments" },
        { "services/notification-service/Dockerfile", "OrderX.Notifications" },
        { "hosts/OrderX.AllInOne/Dockerfile", "OrderX.AllInOne" },
    };

    private static string[] Lines(string dockerfile) =>
        File.ReadAllText(Repo.PathOf(dockerfile)).Replace("\\\n", " ").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    [Theory]
    [MemberData(nameof(Images))]
    public void The_image_is_multi_stage_non_root_and_checks_its_own_readiness(string dockerfile, string assembly)
    {
        var lines = Lines(dockerfile);

        Assert.Equal(["FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", "FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime"], lines.Where(l => l.StartsWith("FROM ")));
        Assert.Contains("USER $APP_UID", lines);
        Assert.Contains($"HEALTHCHECK --interval=10s --timeout=5s --start-period=40s --retries=3 CMD [\"dotnet\", \"{assembly}.dll\", \"healthcheck\"]", lines);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"]", lines);
        // The restore layer copies only project and build files, so editing a source file does not invalidate it.
        var restore = Array.FindIndex(lines, l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0);
        Assert.All(lines.Take(restore).Where(l => l.StartsWith("COPY ")), l => Assert.Matches(@"\.(csproj|props|json|config) ", l));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Everything_the_dockerfile_copies_exists_in_the_repository(string dockerfile, string assembly)
    {
        foreach (var line in Lines(dockerfile).Where(l => l.StartsWith("COPY ") && !l.Contains("--from=")))
        {
            var sources = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1];
            foreach (var source in sources)
                Assert.True(File.Exists(Repo.PathOf(source)) || Directory.Exists(Repo.PathOf(source)), $"{dockerfile}: {source} does not exist");
        }
        Assert.Contains(Lines(dockerfile), l => l.Contains($"{assembly}.csproj", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void The_dockerfiles_restore_and_publish_commands_work_and_produce_the_entrypoint(string dockerfile, string assembly)
    {
        var scratch = Directory.CreateTempSubdirectory("orderx-docker-build-").FullName;
        try
        {
            foreach (var line in Lines(dockerfile).Where(l => l.StartsWith("RUN dotnet ", StringComparison.Ordinal)))
            {
                // Same command, but /app lands in a scratch folder and intermediate output away from the build
                // the other tests run from.
                var arguments = line["RUN dotnet ".Length..].Replace("/app/publish", Path.Combine(scratch, "publish"));
                var (exit, output) = Repo.Run("dotnet", $"{arguments} --artifacts-path {Path.Combine(scratch, "artifacts")}", TimeSpan.FromMinutes(8));
                Assert.True(exit == 0, $"{dockerfile}: `{line}` failed:\n{output}");
            }
            Assert.True(File.Exists(Path.Combine(scratch, "publish", $"{assembly}.dll")), $"{dockerfile} does not publish {assembly}.dll");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
