using System.Net;
using System.Net.Sockets;

namespace OrderX.Testing;

/// <summary>
/// A TCP forwarder on a local port: lets a test make a real broker "not there yet" (not listening) or
/// "gone for a moment" (every connection cut), without touching the broker other tests use.
/// </summary>
public sealed class TcpProxy(string targetHost, int targetPort) : IAsyncDisposable
{
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _running;

    public int Port { get; } = FreePorts.Take(1)[0];

    public void Start()
    {
        _running = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _running.Token);
    }

    /// <summary>Stops listening and cuts every open connection, as a broker restart does.</summary>
    public void Stop()
    {
        _running?.Cancel();
        _listener?.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
                connection.Dispose();
            _connections.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(cancellationToken); }
            catch { return; }
            var upstream = new TcpClient();
            try { await upstream.ConnectAsync(targetHost, targetPort, cancellationToken); }
            catch { client.Dispose(); upstream.Dispose(); continue; }
            lock (_connections) _connections.AddRange([client, upstream]);
            _ = PumpAsync(client, upstream, cancellationToken);
            _ = PumpAsync(upstream, client, cancellationToken);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken cancellationToken)
    {
        try { await from.GetStream().CopyToAsync(to.GetStream(), cancellationToken); }
        catch { /* a cut connection ends the pump */ }
        from.Dispose();
        to.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
