namespace OrderX.Bench;

/// <summary>
/// CPU time of PostgreSQL's and RabbitMQ's processes on this machine (Linux /proc), which share its cores with
/// OrderX: a change that saves the services CPU by making the database work harder shows here. A process that
/// exits during the run (a closed connection's backend) takes its time with it, so this is a lower bound.
/// </summary>
public sealed class InfrastructureUsage
{
    private static readonly Dictionary<string, string> Commands = new() { ["postgres"] = "postgresql", ["beam.smp"] = "rabbitmq" };
    private readonly Dictionary<int, (string Name, double CpuSeconds)> _start;

    private InfrastructureUsage(Dictionary<int, (string Name, double CpuSeconds)> start) => _start = start;

    public static InfrastructureUsage Snapshot() => new(Read());

    /// <summary>CPU seconds per infrastructure process kind since the snapshot; empty where /proc is not there.</summary>
    public IReadOnlyDictionary<string, double> Since() =>
        Read().GroupBy(p => p.Value.Name)
            .ToDictionary(g => g.Key, g => Math.Round(g.Sum(p => p.Value.CpuSeconds - (_start.TryGetValue(p.Key, out var s) ? s.CpuSeconds : 0)), 2));

    private static Dictionary<int, (string Name, double CpuSeconds)> Read()
    {
        var found = new Dictionary<int, (string Name, double CpuSeconds)>();
        if (!Directory.Exists("/proc"))
            return found;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var command = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                if (Commands.TryGetValue(command, out var name) && ProcessUsage.CpuSeconds(pid) is { } cpu)
                    found[pid] = (name, cpu);
            }
            catch (IOException)
            {
                // gone between the listing and the read
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return found;
    }
}
