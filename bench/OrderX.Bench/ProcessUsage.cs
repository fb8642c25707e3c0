namespace OrderX.Bench;

public sealed record ProcessFigures(string Name, int Pid, double CpuSeconds, double PeakRssMb);

/// <summary>CPU time and peak resident memory of the OrderX processes scripts/start.sh recorded in .run/*.pid (Linux /proc).</summary>
public sealed class ProcessUsage
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly Dictionary<string, (int Pid, double CpuSeconds)> _start;

    private ProcessUsage(Dictionary<string, (int Pid, double CpuSeconds)> start) => _start = start;

    public static ProcessUsage Snapshot(string runDirectory)
    {
        var processes = new Dictionary<string, (int, double)>();
        if (Directory.Exists(runDirectory))
        {
            foreach (var file in Directory.GetFiles(runDirectory, "*.pid"))
            {
                if (int.TryParse(File.ReadAllText(file).Trim(), out var pid) && CpuSeconds(pid) is { } cpu)
                    processes[Path.GetFileNameWithoutExtension(file)] = (pid, cpu);
            }
        }
        return new ProcessUsage(processes);
    }

    public IReadOnlyList<ProcessFigures> Since() =>
        _start.Select(p => new ProcessFigures(
                p.Key,
                p.Value.Pid,
                Math.Round((CpuSeconds(p.Value.Pid) ?? p.Value.CpuSeconds) - p.Value.CpuSeconds, 2),
                Math.Round(PeakRssKb(p.Value.Pid) / 1024.0, 1)))
            .OrderBy(p => p.Name)
            .ToList();

    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th field.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (double.Parse(fields[11]) + double.Parse(fields[12])) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double PeakRssKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
