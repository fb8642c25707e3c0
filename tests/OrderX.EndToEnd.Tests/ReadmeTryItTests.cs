using System.Diagnostics;
using System.Text.RegularExpressions;
using OrderX.Testing;

namespace OrderX.EndToEnd.Tests;

/// <summary>
/// The README's "Try it" block, taken from the README itself (so the two cannot drift), run as a newcomer pastes it
/// against OrderX started by its own command, on ports and a data folder of the test's own: every answer is the one
/// the README shows, and the log of the whole run has no fail or crit line, since every answer is as designed.
/// </summary>
[Collection("end-to-end")]
public sealed partial class ReadmeTryItTests : IDisposable
{
    private static readonly string[] Names = ["gateway", "user", "product", "order", "payment", "notification"];
    private readonly string _work = Directory.CreateTempSubdirectory("orderx-try-it-").FullName;

    [Fact]
    public void The_readmes_try_it_block_runs_as_written_and_answers_what_it_shows()
    {
        var ports = FreePorts.Take(Names.Length * 2);
        var data = Path.Combine(_work, "data");
        var environment = new Dictionary<string, string> { ["ORDERX_RUN_DIR"] = Path.Combine(_work, "run"), ["Data__Path"] = data };
        for (var i = 0; i < Names.Length; i++)
        {
            environment[$"Ports__{Names[i]}"] = $"{ports[i]}";
            if (i > 0)
                environment[$"Http2Ports__{Names[i]}"] = $"{ports[Names.Length + i]}";
        }
        var block = TryItBlock().Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"))).Groups[1].Value;
        Assert.Contains("./scripts/start.sh", block);
        var script = Path.Combine(_work, "try-it.sh");
        File.WriteAllText(script, "set -euo pipefail\n" + block
            .Replace("./scripts/start.sh", "./scripts/start.sh --no-build")
            .Replace("localhost:8080", $"localhost:{ports[0]}")
            .Replace("data/", $"{data}/"));

        string output;
        try
        {
            (var exit, output) = Run(script, environment);
            Assert.True(exit == 0, $"the Try it block failed ({exit}):\n{output}");
        }
        finally
        {
            Run(Path.Combine(RepoPaths.Root, "scripts", "stop.sh"), environment);
        }

        foreach (var answer in new[]
        {
            "\"role\":\"customer\"", "\"accessToken\":\"", "HTTP/1.1 202 Accepted", "\"status\":\"pending\"",
            "\"status\":\"paid\",\"message\":\"Order Completed Successfully\"", "\"status\":\"succeeded\"", "\"kind\":\"order_completed\"", ".eml",
            "\"status\":\"cancelled\",\"message\":\"Payment declined: Card declined",
            "\"status\":\"cancelled\",\"message\":\"Out of stock: Only 3 of Signed barista handbook left; 4 requested.\"",
            "204\n", "HTTP/1.1 201 Created",
        })
            Assert.True(output.Contains(answer, StringComparison.Ordinal), $"the Try it block's run never answered {answer}:\n{output}");
        var log = File.ReadAllLines(Path.Combine(_work, "run", "allinone.log"));
        var failures = log.Where(line => FailLine().IsMatch(line)).ToList();
        Assert.True(failures.Count == 0, $"the run logged what it answered as designed as failures:\n{string.Join('\n', failures)}");
        // The README's log excerpt is what this run printed (… stands for what varies: ids, the answers' order).
        var excerpt = LogExcerpt().Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"))).Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(excerpt);
        foreach (var line in excerpt)
        {
            var pattern = new Regex(Regex.Escape(line).Replace("…", ".*"));
            Assert.True(log.Any(pattern.IsMatch), $"the README's log line\n  {line}\nis not what a run prints:\n{string.Join('\n', log.TakeLast(40))}");
        }
    }

    private static (int Exit, string Output) Run(string script, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("bash", [script]) { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
            info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, stdout.Result + stderr.Result);
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [GeneratedRegex("<!-- try-it -->\\s*```bash\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex TryItBlock();

    [GeneratedRegex("The log shows the flow service by service.*?```\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex LogExcerpt();

    [GeneratedRegex(@"^\S+ (fail|crit) \[")]
    private static partial Regex FailLine();

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
