using System.Text.Json;

namespace OrderX.Contracts.Tests;

public sealed class EventEnvelopeJsonTests
{
    private static readonly DateTimeOffset Time = new DateTimeOffset(2026, 12, 4, 2, 15, 30, 123, TimeSpan.Zero).AddTicks(4567);

    private static readonly OrderCreated Created = new(Guid.NewGuid(), Guid.NewGuid(), "zoë+<test>@example.com", 1234.5m, "EUR",
        [new OrderLine(Guid.NewGuid(), "Café \"Crème\" & <Co>", 3, 411.5m), new OrderLine(Guid.NewGuid(), "Tee 'Grün' — 日本", 1, 0m)]);

    private static readonly PaymentFailed Failed = new(Guid.NewGuid(), Guid.NewGuid(), 0.01m, "USD", "Card declined:\n\"insufficient funds\"\t\u0001");

    public static TheoryData<string?, string?> Headers => new()
    {
        { null, null },
        { "corr-ä<1>", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void The_one_pass_envelope_is_the_text_serializing_the_envelope_gives(string? correlationId, string? traceParent)
    {
        var id = Guid.CreateVersion7();

        Assert.Equal(Serialized(id, "order", correlationId, traceParent, Created), EventEnvelopeJson.Write(id, "order", Time, correlationId, traceParent, Created));
        Assert.Equal(Serialized(id, "payment", correlationId, traceParent, Failed), EventEnvelopeJson.Write(id, "payment", Time, correlationId, traceParent, Failed));
    }

    [Fact]
    public void An_envelope_written_in_one_pass_reads_back_as_the_event_it_carries()
    {
        var id = Guid.CreateVersion7();
        var envelope = JsonSerializer.Deserialize<EventEnvelope>(EventEnvelopeJson.Write(id, "order", Time, "c-1", null, Created), ContractJson.Options)!;

        Assert.Equal((id, OrderCreated.EventType, "order", Time, ((IIntegrationEvent)Created).Subject, "c-1", (string?)null),
            (envelope.Id, envelope.Type, envelope.Source, envelope.Time, envelope.Subject, envelope.CorrelationId, envelope.TraceParent));
        var data = envelope.DataAs<OrderCreated>();
        Assert.Equal(Created with { Lines = [] }, data with { Lines = [] });
        Assert.Equal(Created.Lines, data.Lines);
    }

    [Fact]
    public void A_large_event_is_written_whole_and_the_next_one_after_it_alone()
    {
        var lines = Enumerable.Range(0, 2_000).Select(i => new OrderLine(Guid.NewGuid(), new string('x', 40) + i, i + 1, i)).ToArray();
        var large = Created with { Lines = lines };

        var written = EventEnvelopeJson.Write(Guid.NewGuid(), "order", Time, null, null, large);
        var next = EventEnvelopeJson.Write(Guid.NewGuid(), "payment", Time, null, null, Failed);

        Assert.Equal(lines, JsonSerializer.Deserialize<EventEnvelope>(written, ContractJson.Options)!.DataAs<OrderCreated>().Lines);
        Assert.Equal(Failed, JsonSerializer.Deserialize<EventEnvelope>(next, ContractJson.Options)!.DataAs<PaymentFailed>());
    }

    private static string Serialized<TEvent>(Guid id, string source, string? correlationId, string? traceParent, TEvent data)
        where TEvent : IIntegrationEvent =>
        JsonSerializer.Serialize(new EventEnvelope
        {
            Id = id,
            Type = TEvent.EventType,
            Source = source,
            Time = Time,
            Subject = data.Subject,
            CorrelationId = correlationId,
            TraceParent = traceParent,
            Data = JsonSerializer.SerializeToElement(data, ContractJson.Options),
        }, ContractJson.Options);
}
