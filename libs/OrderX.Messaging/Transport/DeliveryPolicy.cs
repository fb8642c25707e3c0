namespace OrderX.Messaging.Transport;

/// <summary>How often a failing message is retried before it is dead-lettered, and how long to wait between tries.</summary>
public sealed class DeliveryPolicy
{
    public int MaxDeliveries { get; set; } = 5;
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryDelay(int failedAttempt)
    {
        var factor = Math.Pow(2, Math.Clamp(failedAttempt - 1, 0, 16));
        var delay = TimeSpan.FromTicks((long)(FirstRetryDelay.Ticks * factor));
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    public bool ShouldDeadLetter(int failedAttempt) => failedAttempt >= MaxDeliveries;
}
