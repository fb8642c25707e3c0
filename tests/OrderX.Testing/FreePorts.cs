using System.Net;
using System.Net.Sockets;

namespace OrderX.Testing;

public static class FreePorts
{
    private static readonly (int First, int Last) Range = BelowEphemeralRange();
    // Ports a broker or database opens again when a test restarts it (RabbitMQ's inter-node and management ports).
    private static readonly HashSet<int> Reserved = [15672, 25672];
    private static int _next = Random.Shared.Next(Range.Last - Range.First + 1);

    /// <summary>
    /// Ports nothing listens on right now, so the tests never collide with a running OrderX. They come from below
    /// the kernel's ephemeral range: a port the kernel handed out for binding to port 0 is one it may hand again, as the
    /// source port of any outgoing connection (or of a client's connection to that very port, which then connects to
    /// itself), before the test gets to bind it. CI once failed a late bind with "address already in use" that way.
    /// </summary>
    public static int[] Take(int count)
    {
        var ports = new List<int>(count);
        var span = Range.Last - Range.First + 1;
        for (var tried = 0; ports.Count < count; tried++)
        {
            if (tried > span)
                throw new InvalidOperationException($"No free port left in {Range.First}-{Range.Last}.");
            var port = Range.First + (int)((uint)Interlocked.Increment(ref _next) % span);
            if (!Reserved.Contains(port) && IsFree(port))
                ports.Add(port);
        }
        return [.. ports];
    }

    private static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static (int First, int Last) BelowEphemeralRange()
    {
        // Linux's default ephemeral range starts at 32768.
        var ephemeralStart = 32768;
        try
        {
            var bounds = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralStart = int.Parse(bounds[0]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux: keep the default, which Windows' and macOS's ranges (49152 and up) are above.
        }
        return ephemeralStart > 13000 ? (12000, ephemeralStart - 1) : (10000, 11999);
    }
}
