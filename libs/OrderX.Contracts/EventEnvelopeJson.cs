using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OrderX.Contracts;

/// <summary>
/// Writes an <see cref="EventEnvelope"/> with its event in one pass. Serializing the record needs the event as a
/// <see cref="JsonElement"/> first, which encodes it twice: to a document, then again into the envelope. This writes
/// the same text, field by field in the record's order, with the event serialized straight into its place.
/// </summary>
public static class EventEnvelopeJson
{
    // The writer and its buffer are reused per thread: Write does not await, so nothing else on the thread uses them meanwhile.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = ContractJson.Options.Encoder };

    public static string Write<TEvent>(Guid id, string source, DateTimeOffset time, string? correlationId, string? traceParent, TEvent data)
        where TEvent : IIntegrationEvent
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        try
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", "1.0");
            writer.WriteString("id", id);
            writer.WriteString("type", TEvent.EventType);
            writer.WriteString("source", source);
            writer.WriteString("time", time);
            writer.WriteString("subject", data.Subject);
            writer.WriteString("correlationid", correlationId);
            writer.WriteString("traceparent", traceParent);
            writer.WriteString("datacontenttype", "application/json");
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, data, ContractJson.Options);
            writer.WriteEndObject();
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            // A large event's buffer is not kept for the thread's life.
            if (buffer.Capacity > 64 * 1024)
                t_buffer = null;
        }
    }
}
