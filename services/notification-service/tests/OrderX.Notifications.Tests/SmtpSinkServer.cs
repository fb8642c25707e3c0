using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrderX.Notifications.Tests;

/// <summary>Just enough of an SMTP server on loopback to receive one conversation and keep what was sent.</summary>
public sealed class SmtpSinkServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TaskCompletionSource<string> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SmtpSinkServer()
    {
        _listener.Start();
        _ = ServeOneAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The DATA part of the first message: headers and body as the client sent them.</summary>
    public Task<string> Received => _received.Task;

    private async Task ServeOneAsync()
    {
        try
        {
            using var client = await _listener.AcceptTcpClientAsync();
            await using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink ready");
            var data = new StringBuilder();
            var inData = false;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (inData)
                {
                    if (line == ".")
                    {
                        inData = false;
                        _received.TrySetResult(data.ToString());
                        await writer.WriteLineAsync("250 queued");
                    }
                    else
                    {
                        data.AppendLine(line);
                    }
                    continue;
                }
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO": await writer.WriteLineAsync("250 sink"); break;
                    case "DATA": inData = true; await writer.WriteLineAsync("354 go ahead"); break;
                    case "QUIT": await writer.WriteLineAsync("221 bye"); return;
                    default: await writer.WriteLineAsync("250 ok"); break;
                }
            }
        }
        catch (Exception error)
        {
            _received.TrySetException(error);
        }
    }

    public void Dispose() => _listener.Stop();
}
