namespace OrderX.Notifications.Data;

public sealed class Notification
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public Guid UserId { get; set; }
    public required string Email { get; set; }
    /// <summary>What the customer is told about: one of <c>NotificationKinds</c>.</summary>
    public required string Kind { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public DateTime CreatedAt { get; set; }
}
