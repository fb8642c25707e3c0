namespace OrderX.Chaos;

/// <summary>One fault of the plan: what it does, run from its start to the moment the part is back.</summary>
public sealed record Fault(string Name, Func<Task> RunAsync);

/// <summary>When a fault began and when the part it hit was back (seconds since the load began).</summary>
public sealed record FaultWindow(string Name, double Start, double End);
