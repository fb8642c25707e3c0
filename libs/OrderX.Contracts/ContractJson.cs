using System.Text.Json;

namespace OrderX.Contracts;

/// <summary>Serializer settings shared by every producer and consumer, so field names never drift.</summary>
public static class ContractJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
