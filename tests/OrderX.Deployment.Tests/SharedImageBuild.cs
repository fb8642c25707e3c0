namespace OrderX.Deployment.Tests;

/// <summary>
/// The shared build stage's restore, run once as infra/docker/Dockerfile writes it (from the repository root), with
/// /app and the intermediate output in a scratch folder away from the build the other tests run from.
/// </summary>
public sealed class SharedImageBuild : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("orderx-docker-build-").FullName;
    private readonly (int Exit, string Output) _restored;

    public SharedImageBuild()
    {
        var restore = DockerfileTests.Lines(DockerfileTests.Shared).Single(l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal))["RUN dotnet ".Length..];
        _restored = Repo.Run("dotnet", $"{restore} {ArtifactsArgument}", TimeSpan.FromMinutes(8));
    }

    public string AppFolder => Path.Combine(_scratch, "app");

    private string ArtifactsArgument => $"--artifacts-path {Path.Combine(_scratch, "artifacts")}";

    /// <summary>The stage's publish step for one project; fails with the restore's output when the restore failed.</summary>
    public (int Exit, string Output) Publish(string project)
    {
        Assert.True(_restored.Exit == 0, $"{DockerfileTests.Shared}: the restore failed:\n{_restored.Output}");
        return Repo.Run("sh", $"infra/docker/publish.sh {project}", TimeSpan.FromMinutes(8),
            new Dictionary<string, string> { ["ORDERX_PUBLISH_DIR"] = AppFolder, ["ORDERX_PUBLISH_ARGS"] = ArtifactsArgument });
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
