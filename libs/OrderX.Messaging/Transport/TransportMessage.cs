namespace OrderX.Messaging.Transport;

/// <summary>A serialized envelope on its way to the broker. <see cref="Key"/> (the order id) keeps per-order ordering on partitioned transports.</summary>
public sealed record TransportMessage(Guid Id, string Type, string Key, ReadOnlyMemory<byte> Body);
