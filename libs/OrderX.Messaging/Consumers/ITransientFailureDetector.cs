namespace OrderX.Messaging.Consumers;

/// <summary>Tells an outage of something the handler depends on (database down, connections exhausted) from a bug.</summary>
public interface ITransientFailureDetector
{
    bool IsTransient(Exception error);
}

public sealed class NoTransientFailures : ITransientFailureDetector
{
    public bool IsTransient(Exception error) => false;
}
