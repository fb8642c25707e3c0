using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderX.Contracts;

/// <summary>
/// The one wire format for every transport, with CloudEvents 1.0 attribute names so that tools
/// which understand CloudEvents can read OrderX traffic. <see cref="Id"/> is the consumers' dedupe key.
/// </summary>
public sealed record EventEnvelope
{
    [JsonPropertyName("specversion")] public string SpecVersion { get; init; } = "1.0";
    [JsonPropertyName("id")] public required Guid Id { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("time")] public required DateTimeOffset Time { get; init; }
    [JsonPropertyName("subject")] public required string Subject { get; init; }
    [JsonPropertyName("correlationid")] public string? CorrelationId { get; init; }
    [JsonPropertyName("traceparent")] public string? TraceParent { get; init; }
    [JsonPropertyName("datacontenttype")] public string DataContentType { get; init; } = "application/json";
    [JsonPropertyName("data")] public required JsonElement Data { get; init; }

    public T DataAs<T>() =>
        Data.Deserialize<T>(ContractJson.Options)
        ?? throw new JsonException($"Event {Id} of type {Type} has no data.");
}
