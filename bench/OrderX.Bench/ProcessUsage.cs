namespace OrderX.Bench;

/// <param name="JitThreadCpuSeconds">Of <paramref name="CpuSeconds"/>, the background JIT thread's (<see cref="JitThreadUsage"/>).</param>
public sealed record ProcessFigures(string Name, int Pid, double CpuSeconds, double PeakRssMb, double JitThreadCpuSeconds);

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

    /// <summary>The processes found, by name.</summary>
    public IReadOnlyDictionary<string, int> Pids => _start.ToDictionary(p => p.Key, p => p.Value.Pid);

    public IReadOnlyList<ProcessFigures> Since(IReadOnlyDictionary<string, double> jitThreadCpuSeconds) =>
        _start.Select(p => new ProcessFigures(
                p.Key,
                p.Value.Pid,
                Math.Round((CpuSeconds(p.Value.Pid) ?? p.Value.CpuSeconds) - p.Value.CpuSeconds, 2),
                Math.Round(PeakRssKb(p.Value.Pid) / 1024.0, 1),
                jitThreadCpuSeconds.GetValueOrDefault(p.Key)))
            .OrderBy(p => p.Name)
            .ToList();

    public static double? CpuSeconds(int pid) => CpuSecondsOf($"/proc/{pid}/stat");

    /// <summary>User and system CPU seconds from a process's or a thread's stat file; null when it is gone.</summary>
    public static double? CpuSecondsOf(string statFile)
    {
        try
        {
            var stat = File.ReadAllText(statFile);
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
