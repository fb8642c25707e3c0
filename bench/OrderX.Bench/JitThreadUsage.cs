namespace OrderX.Bench;

/// <summary>
/// CPU time of each OrderX process's background JIT thread over the measured phases (Linux /proc): the thread on which
/// the runtime recompiles hot methods into optimised (tier-1) code, a cost of a process's first minutes that the
/// benchmark's CPU per paid order includes. The runtime ends the thread after a few idle seconds and starts another
/// when there is work again, so the threads are read every second and each one counts up to its last reading: one
/// that ended loses at most its last, idle, second.
/// </summary>
public sealed class JitThreadUsage
{
    // The runtime names it ".NET Tiered Compilation Worker"; Linux keeps the first 15 bytes of a thread's name.
    private const string ThreadName = ".NET Tiered Com";

    private readonly IReadOnlyDictionary<string, int> _processes;
    private readonly Dictionary<(string Process, int Thread), (double AtStart, double Last)> _threads = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;

    private JitThreadUsage(IReadOnlyDictionary<string, int> processes)
    {
        _processes = processes;
        Read(starting: true);
        _polling = PollAsync(_stop.Token);
    }

    /// <summary>Starts reading the JIT threads of the given processes (name → pid).</summary>
    public static JitThreadUsage Start(IReadOnlyDictionary<string, int> processes) => new(processes);

    /// <summary>CPU seconds of each process's JIT threads since the start; a process whose thread never ran has no entry.</summary>
    public async Task<IReadOnlyDictionary<string, double>> StopAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        _stop.Dispose();
        Read(starting: false);
        return _threads.GroupBy(t => t.Key.Process)
            .ToDictionary(g => g.Key, g => Math.Round(g.Sum(t => t.Value.Last - t.Value.AtStart), 2));
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
                Read(starting: false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // A thread first seen after the start began after it: all of its time is in the phases.
    private void Read(bool starting)
    {
        foreach (var (process, pid) in _processes)
        {
            foreach (var (thread, cpu) in JitThreads(pid))
            {
                var atStart = starting ? cpu : _threads.TryGetValue((process, thread), out var seen) ? seen.AtStart : 0;
                _threads[(process, thread)] = (atStart, cpu);
            }
        }
    }

    private static List<(int Thread, double CpuSeconds)> JitThreads(int pid)
    {
        var threads = new List<(int, double)>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == ThreadName
                    && ProcessUsage.CpuSecondsOf(Path.Combine(task, "stat")) is { } cpu)
                    threads.Add((int.Parse(Path.GetFileName(task)), cpu));
            }
        }
        catch (IOException)
        {
            // The process or one of its threads ended while being read; the next reading has the rest.
        }
        return threads;
    }
}
