using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrderX.EndToEnd.Tests;

/// <summary>One OrderX process started from the build output, its console captured to a file for diagnosis.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StreamWriter _log;

    private ServiceProcess(Process process, string logFile)
    {
        _process = process;
        _log = new StreamWriter(logFile, append: true) { AutoFlush = true };
    }

    public string Name { get; private init; } = "";

    public IReadOnlyCollection<string> Lines => _lines;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    public static ServiceProcess Start(string name, string project, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logFile)
    {
        var info = new ProcessStartInfo("dotnet", [RepoPaths.Dll(project)])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, logFile) { Name = name };
        process.OutputDataReceived += (_, e) => service.Record(e.Data);
        process.ErrorDataReceived += (_, e) => service.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private void Record(string? line)
    {
        if (line is null)
            return;
        _lines.Enqueue(line);
        lock (_log)
            _log.WriteLine(line);
    }

    /// <summary>Ends the process at once, as a crash or a kill -9 would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        lock (_log)
            _log.Dispose();
    }
}
