namespace OrderX.Messaging.Transport;

/// <summary>A delivery handed to a subscriber. <see cref="Attempt"/> is 1 on first delivery.</summary>
public sealed record IncomingMessage(Guid Id, string Type, ReadOnlyMemory<byte> Body, int Attempt);
