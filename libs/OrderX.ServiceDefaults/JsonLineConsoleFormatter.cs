using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OrderX.Contracts;

namespace OrderX.ServiceDefaults;

/// <summary>
/// One JSON object per line, for log collectors (containers, systemd, anything not a terminal): the time in UTC, the
/// level, the service, the category, the message and its template's values, the exception, and what ties the line to
/// the rest of the flow: the trace and span ids (while tracing is on), the correlation id and the order it is about.
/// </summary>
public sealed class JsonLineConsoleFormatter(IOptionsMonitor<ServiceConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "orderx-json";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = true };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
            return;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTime.UtcNow);
            json.WriteString("level", LevelName(logEntry.LogLevel));
            json.WriteString("service", options.CurrentValue.Service);
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
                json.WriteNumber("eventId", logEntry.EventId.Id);
            json.WriteString("message", message);
            if (Activity.Current is { } activity)
            {
                json.WriteString("traceId", activity.TraceId.ToHexString());
                json.WriteString("spanId", activity.SpanId.ToHexString());
            }
            if (CorrelationContext.CorrelationId is { } correlationId)
                json.WriteString("correlationId", correlationId);
            if (CorrelationContext.OrderId is { } orderId)
                json.WriteString("orderId", orderId);
            if (logEntry.Exception is { } exception)
                json.WriteString("exception", exception.ToString());
            WriteValues(json, logEntry.State);
            json.WriteEndObject();
        }
        textWriter.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    // The template's named values ({OrderId}, {Attempt}, ...), as found in the message, for querying without parsing it.
    private static void WriteValues<TState>(Utf8JsonWriter json, TState state)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values || values.Count <= 1)
            return;
        json.WriteStartObject("values");
        foreach (var (name, value) in values)
        {
            if (name == "{OriginalFormat}")
                continue;
            switch (value)
            {
                case null:
                    json.WriteNull(name);
                    break;
                case int or long or short or byte or uint or ulong:
                    json.WriteNumber(name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case double or float or decimal when double.IsFinite(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)):
                    json.WriteNumber(name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case bool flag:
                    json.WriteBoolean(name, flag);
                    break;
                default:
                    json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }
        json.WriteEndObject();
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "information",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };
}
