using System.Diagnostics;

namespace OrderX.Messaging;

/// <summary>
/// Spans for publishing and consuming, linked through the envelope's <c>traceparent</c>: an order's request,
/// its events and every handler they reach form one trace across all services. Free when nothing listens.
/// </summary>
public static class MessagingTelemetry
{
    public const string SourceName = "OrderX.Messaging";

    private static readonly ActivitySource Source = new(SourceName);

    public static bool IsEnabled => Source.HasListeners();

    public static Activity? StartPublish(string service, string type, Guid messageId, string subject, string? traceParent) =>
        Start(service, $"publish {type}", ActivityKind.Producer, type, messageId, subject, traceParent);

    public static Activity? StartProcess(string service, string type, Guid messageId, string subject, string? traceParent, string consumer)
    {
        var activity = Start(service, $"process {type}", ActivityKind.Consumer, type, messageId, subject, traceParent);
        activity?.SetTag("messaging.consumer.group.name", consumer);
        return activity;
    }

    /// <summary>
    /// The span's service is also a tag: the all-in-one exports every part's spans under one process, and the tag
    /// still tells which part published or handled the message.
    /// </summary>
    private static Activity? Start(string service, string name, ActivityKind kind, string type, Guid messageId, string subject, string? traceParent)
    {
        if (!Source.HasListeners())
            return null;
        ActivityContext.TryParse(traceParent, null, out var parent);
        var activity = Source.StartActivity(name, kind, parent);
        activity?.SetTag(MessagingMetrics.ServiceTag, service);
        activity?.SetTag("messaging.destination.name", type);
        activity?.SetTag("messaging.message.id", messageId.ToString());
        activity?.SetTag("orderx.order_id", subject);
        return activity;
    }
}
