using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OrderX.Payments.Data;
using OrderX.Payments.Domain;
using OrderX.ServiceDefaults;

namespace OrderX.Payments.Apis;

public sealed record PaymentDto(
    Guid Id, Guid OrderId, decimal Amount, string Currency, string Status, string? Reason, DateTime CreatedAt, DateTime? RefundedAt, string? RefundReason)
{
    public static PaymentDto From(Payment p) => new(p.Id, p.OrderId, p.Amount, p.Currency, p.Status, p.Reason, p.CreatedAt, p.RefundedAt, p.RefundReason);
}

public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/api/payments");
        payments.MapGet("/", ListPayments);
        payments.MapGet("/{id:guid}", GetPayment);
        return app;
    }

    /// <summary>The payments of one order (<c>?orderId=</c>): at most one, by construction.</summary>
    public static async Task<Results<Ok<List<PaymentDto>>, ValidationProblem>> ListPayments(Guid? orderId, PaymentsDbContext db, CancellationToken cancellationToken)
    {
        if (orderId is null)
            return ValidationErrors.Single("orderId", "orderId is required.");
        var payments = await db.Payments.AsNoTracking().Where(p => p.OrderId == orderId).ToListAsync(cancellationToken);
        return TypedResults.Ok(payments.Select(PaymentDto.From).ToList());
    }

    public static async Task<Results<Ok<PaymentDto>, ProblemHttpResult>> GetPayment(Guid id, PaymentsDbContext db, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return payment is null ? Problems.NotFound($"Payment {id} does not exist.") : TypedResults.Ok(PaymentDto.From(payment));
    }
}
