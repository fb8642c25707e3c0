namespace OrderX.Web.Backend;

// The services' answers, as far as the pages read them (the services' own DTOs stay theirs).

public sealed record TokenPair(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, int RefreshExpiresIn);

public sealed record Product(Guid Id, string Name, string Description, decimal Price, string Currency, int Available, bool Deleted);

public sealed record ProductPage(IReadOnlyList<Product> Items, int Page, int PageSize, int TotalCount);

public sealed record OrderLine(Guid ProductId, string ProductName, decimal UnitPrice, int Quantity, decimal LineTotal);

public sealed record OrderStep(long Id, DateTime At, string Status, string Cause, string Detail);

public sealed record Order(
    Guid Id, Guid UserId, string CustomerEmail, string Status, string Message, string? CancelReason, decimal Total, string Currency,
    string? Payment, string? Stock, DateTime CreatedAt, DateTime UpdatedAt,
    IReadOnlyList<OrderLine> Items, IReadOnlyList<OrderStep>? History);

public sealed record OrderAccepted(Guid OrderId, string Status);

public sealed record Payment(Guid Id, Guid OrderId, decimal Amount, string Currency, string Status, string? Reason, DateTime CreatedAt, DateTime? RefundedAt);

public sealed record Notification(Guid Id, Guid OrderId, string Email, string Kind, string Subject, DateTime CreatedAt);

/// <summary>A ProblemDetails answer, reduced to what a page shows.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]>? Errors)
{
    public string Explain() => Errors is { Count: > 0 }
        ? string.Join(" ", Errors.SelectMany(e => e.Value))
        : Detail ?? Title;
}

/// <summary>An answer or the problem the service gave instead.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;
}

public sealed record DeadLetterPlace(string Name, long? Count);

public sealed record DeadLetterReport(string Service, IReadOnlyList<DeadLetterPlace> Places);

public sealed record DeadLetterMessage(string MessageId, string Type, string? Subject, string? Reason, string Body);

public sealed record DeadLetterListing(string Service, string Place, IReadOnlyList<DeadLetterMessage> Messages);

public sealed record DeadLetterOutcome(string Service, string Place, string Action, int Messages);
