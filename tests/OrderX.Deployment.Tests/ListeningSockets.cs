using System.Globalization;

namespace OrderX.Deployment.Tests;

/// <summary>The TCP ports a process listens on, from Linux's /proc (no ss or lsof needed).</summary>
public static class ListeningSockets
{
    private const string Listen = "0A";

    public static IReadOnlySet<int> OwnedBy(int pid)
    {
        var inodes = Directory.GetFiles($"/proc/{pid}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Where(target => target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            .Select(target => target!["socket:[".Length..^1])
            .ToHashSet();
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists)
            .SelectMany(File.ReadLines).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length > 9 && fields[0] != "sl" && fields[3] == Listen && inodes.Contains(fields[9]))
            .Select(fields => int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .ToHashSet();
    }
}
