using System.Diagnostics;

namespace OrderX.Chaos;

/// <summary>Runs a command to its end and returns its exit code and output (both streams).</summary>
public static class Shell
{
    public static async Task<(int Exit, string Output)> RunAsync(string file, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{file} {string.Join(' ', arguments)} did not finish within {timeout}\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>Like <see cref="RunAsync"/>, but a non-zero exit is an error that carries the output.</summary>
    public static async Task<string> RunCheckedAsync(string file, params string[] arguments)
    {
        var (exit, output) = await RunAsync(file, arguments);
        return exit == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {exit}: {output.Trim()}");
    }
}
