using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderX.Contracts;

namespace OrderX.ServiceDefaults.Tests;

public sealed class JsonLineConsoleFormatterTests
{
    private static string Format(LogLevel level, Exception? exception, params (string Name, object? Value)[] values)
    {
        var formatter = new JsonLineConsoleFormatter(new StaticOptions(new ServiceConsoleFormatterOptions { Service = "order" }));
        var state = values.Select(v => new KeyValuePair<string, object?>(v.Name, v.Value))
            .Append(new("{OriginalFormat}", "Order {OrderId} charged {Amount}")).ToList();
        using var writer = new StringWriter();
        formatter.Write(new LogEntry<List<KeyValuePair<string, object?>>>(level, "OrderX.Orders.Saga.OrderSaga", new EventId(7), state, exception,
            (_, _) => "Order 42 charged 9.5"), null, writer);
        return writer.ToString();
    }

    [Fact]
    public void An_entry_with_an_exception_is_one_line_of_json_with_its_values_and_the_ambient_ids()
    {
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        CorrelationContext.CorrelationId = "corr-1";
        CorrelationContext.OrderId = "42";
        Exception error;
        try { throw new InvalidOperationException("boom\nsecond line"); }
        catch (InvalidOperationException thrown) { error = thrown; }

        var text = Format(LogLevel.Error, error, ("OrderId", 42), ("Amount", 9.5m), ("Ratio", double.NaN));

        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var entry = JsonDocument.Parse(text).RootElement;
        Assert.Equal("error", entry.GetProperty("level").GetString());
        Assert.Equal("order", entry.GetProperty("service").GetString());
        Assert.Equal("OrderX.Orders.Saga.OrderSaga", entry.GetProperty("category").GetString());
        Assert.Equal("Order 42 charged 9.5", entry.GetProperty("message").GetString());
        Assert.Equal(7, entry.GetProperty("eventId").GetInt32());
        Assert.Equal(activity.TraceId.ToHexString(), entry.GetProperty("traceId").GetString());
        Assert.Equal("corr-1", entry.GetProperty("correlationId").GetString());
        Assert.Equal("42", entry.GetProperty("orderId").GetString());
        Assert.Contains("boom\nsecond line", entry.GetProperty("exception").GetString());
        var values = entry.GetProperty("values");
        Assert.Equal(42, values.GetProperty("OrderId").GetInt64());
        Assert.Equal(9.5, values.GetProperty("Amount").GetDouble());
        Assert.Equal("NaN", values.GetProperty("Ratio").GetString());
        Assert.False(values.TryGetProperty("{OriginalFormat}", out _));
    }

    [Fact]
    public void Without_a_trace_or_a_correlation_the_entry_leaves_those_fields_out()
    {
        Activity.Current = null;
        CorrelationContext.CorrelationId = null;
        CorrelationContext.OrderId = null;

        var entry = JsonDocument.Parse(Format(LogLevel.Information, null)).RootElement;

        Assert.Equal("information", entry.GetProperty("level").GetString());
        Assert.False(entry.TryGetProperty("traceId", out _));
        Assert.False(entry.TryGetProperty("correlationId", out _));
        Assert.False(entry.TryGetProperty("exception", out _));
    }

    private sealed class StaticOptions(ServiceConsoleFormatterOptions value) : IOptionsMonitor<ServiceConsoleFormatterOptions>
    {
        public ServiceConsoleFormatterOptions CurrentValue => value;
        public ServiceConsoleFormatterOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<ServiceConsoleFormatterOptions, string?> listener) => null;
    }
}
