namespace OrderX.Messaging.Consumers;

public sealed class TransientRetryOptions
{
    /// <summary>How long a consumer keeps retrying a message whose handler hit an outage, before the transport's redelivery takes over.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);
}
