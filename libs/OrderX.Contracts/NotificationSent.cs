namespace OrderX.Contracts;

/// <summary>The customer was told about their order (an e-mail went out): the last step a customer watches.</summary>
public sealed record NotificationSent(Guid OrderId, Guid NotificationId, string Kind, string EmailSubject) : IOrderEvent
{
    public static string EventType => "notification.sent";
}
