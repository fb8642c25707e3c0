using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace OrderX.Testing;

/// <summary>
/// An OTLP/HTTP trace receiver for tests: processes exporting with the real OpenTelemetry exporter
/// (<c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>, protocol <c>http/protobuf</c>) post their spans here, and the test reads
/// them back. It decodes only the protobuf fields a test asserts on.
/// </summary>
public sealed class OtlpTraceCollector : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly Task _serving;

    public OtlpTraceCollector()
    {
        Port = FreePorts.Take(1)[0];
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string TracesEndpoint => $"http://127.0.0.1:{Port}/v1/traces";

    /// <summary>The variables that make an OrderX process export its spans here, quickly.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = TracesEndpoint,
        ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
    };

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public IReadOnlyList<ReceivedSpan> Trace(string traceId) => _spans.Where(s => s.TraceId == traceId).ToList();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
                foreach (var span in Decode(body.ToArray()))
                    _spans.Enqueue(span);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    /// <summary>ExportTraceServiceRequest: resource_spans(1) { resource(1) { attributes(1) }, scope_spans(2) { spans(2) } }.</summary>
    public static IEnumerable<ReceivedSpan> Decode(byte[] request)
    {
        foreach (var resourceSpans in Fields(request).Where(f => f.Number == 1).Select(f => f.Bytes!))
        {
            var resource = Fields(resourceSpans).Where(f => f.Number == 1).Select(f => Attributes(f.Bytes!)).FirstOrDefault() ?? [];
            var serviceName = resource.GetValueOrDefault("service.name", "");
            foreach (var scopeSpans in Fields(resourceSpans).Where(f => f.Number == 2).Select(f => f.Bytes!))
            foreach (var span in Fields(scopeSpans).Where(f => f.Number == 2).Select(f => f.Bytes!))
            {
                var fields = Fields(span).ToList();
                byte[] BytesOf(int number) => fields.FirstOrDefault(f => f.Number == number).Bytes ?? [];
                yield return new ReceivedSpan(
                    serviceName,
                    Convert.ToHexStringLower(BytesOf(1)),
                    Convert.ToHexStringLower(BytesOf(2)),
                    Convert.ToHexStringLower(BytesOf(4)),
                    Encoding.UTF8.GetString(BytesOf(5)),
                    (int)fields.FirstOrDefault(f => f.Number == 6).Varint,
                    fields.Where(f => f.Number == 9).Select(f => Attribute(f.Bytes!)).ToDictionary(a => a.Key, a => a.Value));
            }
        }
    }

    private static Dictionary<string, string> Attributes(byte[] resource) =>
        Fields(resource).Where(f => f.Number == 1).Select(f => Attribute(f.Bytes!)).ToDictionary(a => a.Key, a => a.Value);

    // KeyValue { key(1), value(2): AnyValue { string_value(1), bool_value(2), int_value(3), double_value(4) } }
    private static (string Key, string Value) Attribute(byte[] keyValue)
    {
        var fields = Fields(keyValue).ToList();
        var key = Encoding.UTF8.GetString(fields.First(f => f.Number == 1).Bytes!);
        var value = fields.FirstOrDefault(f => f.Number == 2).Bytes is { } any ? Fields(any).FirstOrDefault() : default;
        return (key, value.Number switch
        {
            1 => Encoding.UTF8.GetString(value.Bytes!),
            2 => (value.Varint != 0).ToString(),
            3 => ((long)value.Varint).ToString(System.Globalization.CultureInfo.InvariantCulture),
            4 => BitConverter.Int64BitsToDouble((long)value.Varint).ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "",
        });
    }

    private readonly record struct Field(int Number, ulong Varint, byte[]? Bytes);

    // The protobuf wire format: a varint key (field number << 3 | wire type), then a varint, 8 bytes, 4 bytes or a length-prefixed run.
    private static IEnumerable<Field> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message, ref position);
            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    yield return new Field(number, ReadVarint(message, ref position), null);
                    break;
                case 1:
                    yield return new Field(number, BitConverter.ToUInt64(message, position), null);
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    yield return new Field(number, 0, message[position..(position + length)]);
                    position += length;
                    break;
                case 5:
                    yield return new Field(number, BitConverter.ToUInt32(message, position), null);
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"protobuf wire type {key & 7} at byte {position}");
            }
        }
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}

/// <summary>A span as exported: the exporting process's service.name, ids in lower-case hex, and its attributes.</summary>
public sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind,
    IReadOnlyDictionary<string, string> Attributes);
