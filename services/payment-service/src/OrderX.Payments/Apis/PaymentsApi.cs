using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OrderX.Payments.Data;
using OrderX.Payments.Domain;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;

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
        var payments = app.MapGroup("/api/payments").RequireAuthorization(OrderXPolicies.Customer);
        payments.MapGet("/", ListPayments);
        payments.MapGet("/{id:guid}", GetPayment);
        return app;
    }

    /// <summary>The payments of one order (<c>?orderId=</c>): at most one, by construction.</summary>
    public static async Task<Results<Ok<List<PaymentDto>>, ValidationProblem>> ListPayments(
        Guid? orderId, ClaimsPrincipal caller, PaymentsDbContext db, CancellationToken cancellationToken)
    {
        if (orderId is null)
            return ValidationErrors.Single("orderId", "orderId is required.");
        var query = db.Payments.AsNoTracking().Where(p => p.OrderId == orderId);
        if (!caller.IsAdmin())
        {
            var customer = caller.UserId();
            query = query.Where(p => p.UserId == customer);
        }
        var payments = await query.ToListAsync(cancellationToken);
        return TypedResults.Ok(payments.Select(PaymentDto.From).ToList());
    }

    public static async Task<Results<Ok<PaymentDto>, ProblemHttpResult>> GetPayment(Guid id, ClaimsPrincipal caller, PaymentsDbContext db, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (payment is not null && !caller.MaySee(payment.UserId))
            payment = null;
        return payment is null ? Problems.NotFound($"Payment {id} does not exist.") : TypedResults.Ok(PaymentDto.From(payment));
    }
}
