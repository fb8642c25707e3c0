using System.Diagnostics;

namespace OrderX.Deployment.Tests;

/// <summary>The repository this test run was built from, and a way to run its tools.</summary>
public static class Repo
{
    public static readonly string Root = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static (int Exit, string Output) Run(string file, string arguments, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Fails with a message that says how to get the tool, rather than skipping the check.</summary>
    public static string RequireTool(string name)
    {
        var found = Environment.GetEnvironmentVariable("PATH")!.Split(':')
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        Assert.True(found is not null, $"'{name}' is needed for this check; scripts/infra.sh installs it (Debian package {name}).");
        return found!;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrderX.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("OrderX.slnx not found above the test assembly");
    }
}
