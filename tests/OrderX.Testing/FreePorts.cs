using System.Net;
using System.Net.Sockets;

namespace OrderX.Testing;

public static class FreePorts
{
    /// <summary>Ports nothing listens on right now, so the tests never collide with a running OrderX.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}
