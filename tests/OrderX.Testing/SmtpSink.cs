using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrderX.Testing;

/// <summary>
/// Just enough of an SMTP server on loopback to take every conversation and keep what was sent, or, while
/// <see cref="Refusing"/>, to turn every client away as a mail server that is down for maintenance does.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly CancellationTokenSource _stop = new();

    public SmtpSink()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>While true, every conversation is answered "421" at once: the client's send fails.</summary>
    public bool Refusing { get; set; }

    /// <summary>The DATA part of the first message: headers and body as the client sent them.</summary>
    public Task<string> FirstMessage => _first.Task;

    /// <summary>Every message taken so far, in the order they came.</summary>
    public IReadOnlyList<string> Messages => [.. _messages];

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                if (Refusing)
                {
                    await writer.WriteLineAsync("421 sink closed for maintenance");
                    return;
                }
                await writer.WriteLineAsync("220 sink ready");
                var data = new StringBuilder();
                var inData = false;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (inData)
                    {
                        if (line == ".")
                        {
                            inData = false;
                            _messages.Enqueue(data.ToString());
                            _first.TrySetResult(data.ToString());
                            data.Clear();
                            await writer.WriteLineAsync("250 queued");
                        }
                        else
                        {
                            data.AppendLine(line);
                        }
                        continue;
                    }
                    switch (line.Split(' ')[0].ToUpperInvariant())
                    {
                        case "EHLO" or "HELO": await writer.WriteLineAsync("250 sink"); break;
                        case "DATA": inData = true; await writer.WriteLineAsync("354 go ahead"); break;
                        case "QUIT": await writer.WriteLineAsync("221 bye"); return;
                        default: await writer.WriteLineAsync("250 ok"); break;
                    }
                }
            }
            catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // The client hung up, or the sink stops.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
